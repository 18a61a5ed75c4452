package dev.mipeaks.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.model.NativeRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * {@code nhsic-paper-f32} is the reference's own function: on every m = 64 and m = 512 case of ../shared/parity it
 * returns exactly the float32 value of MI-Peaks' mi_estimators.py (distmat, kernelmat, hsic_normalized_cca), written
 * out below line by line with LibTorch calls (no Python needed). (The m = 4096 cases agree too; at O(m^3) twice per
 * case they are left to the CLI: {@code estimate --estimator nhsic-paper-f32}.)
 */
class PaperTorchParityTest {

    // ---- mi_estimators.py, transliterated -------------------------------------------------------------------

    /** def distmat(X) */
    static Tensor distmat(Tensor X) {
        if (X.dim() == 1) {
            X = X.view(-1, 1);
        }
        Tensor r = torch.sum(X.mul(X), 1);                                  // r = torch.sum(X * X, 1)
        r = r.view(-1, 1);                                                  // r = r.view([-1, 1])
        Tensor a = torch.mm(X, torch.transpose(X, 0, 1));                   // a = torch.mm(X, torch.transpose(X, 0, 1))
        Tensor D = r.expand_as(a).sub(torch.mul(a, new Scalar(2L)))       // D = r.expand_as(a) - 2 * a
                .add(torch.transpose(r, 0, 1).expand_as(a));                //     + torch.transpose(r, 0, 1).expand_as(a)
        D = torch.abs(D);                                                   // D = torch.abs(D)
        return D;
    }

    /** def kernelmat(X, sigma, ktype='gaussian') with a given sigma */
    static Tensor kernelmat(Tensor X, double sigma) {
        if (X.dim() == 1) {
            X = X.view(-1, 1);
        }
        long m = X.size(0);                                                 // m = int(X.size()[0])
        Tensor H = torch.eye(m).sub(torch.ones(new long[] {m, m}, new TensorOptions(torch.ScalarType.Float))
                .mul(new Scalar(1.0 / m)));                                 // H = torch.eye(m) - (1. / m) * torch.ones([m, m])
        Tensor Dxx = distmat(X);                                            // Dxx = distmat(X)
        double variance = 2. * sigma * sigma * X.size(1);                   // variance = 2. * sigma * sigma * X.size()[1]
        Tensor Kx = Dxx.neg().div(new Scalar(variance)).exp()              // Kx = torch.exp(-Dxx / variance)
                .to(new Device("cpu"), torch.ScalarType.Float);            //      .type(torch.FloatTensor)
        Tensor Kxc = torch.mm(Kx, H);                                       // Kxc = torch.mm(Kx, H)
        return Kxc;
    }

    /** def hsic_normalized_cca(x, y, sigma=50., ktype='gaussian') */
    static float hsicNormalizedCca(Tensor x, Tensor y, double sigma) {
        if (x.dim() == 1) {
            x = x.reshape(-1, 1);
        }
        if (y.dim() == 1) {
            y = y.reshape(-1, 1);
        }
        long m = x.size(0);
        Tensor Kxc = kernelmat(x, sigma);
        Tensor Kyc = kernelmat(y, sigma);
        double epsilon = 1E-5;
        Tensor K_I = torch.eye(m);
        Tensor Kxc_i = torch.inverse(Kxc.add(K_I.mul(new Scalar(epsilon * m))));  // inverse(Kxc + epsilon * m * K_I)
        Tensor Kyc_i = torch.inverse(Kyc.add(K_I.mul(new Scalar(epsilon * m))));
        Tensor Rx = Kxc.mm(Kxc_i);
        Tensor Ry = Kyc.mm(Kyc_i);
        Tensor Pxy = torch.sum(torch.mul(Rx, Ry.t()));
        return Pxy.item_float();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The reference's value on a thread with a deep stack (LAPACK's inverse at m >= 512 needs more than 1 MB). */
    static float reference(double[] x, double[] y) throws InterruptedException {
        return onDeepStack(() -> hsicNormalizedCca(AbstractTensor.create(floats(x)), AbstractTensor.create(floats(y)),
                50.));
    }

    static float onDeepStack(java.util.function.Supplier<Float> f) throws InterruptedException {
        AtomicReference<Float> out = new AtomicReference<>();
        AtomicReference<RuntimeException> err = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try (PointerScope scope = new PointerScope()) {
                out.set(f.get());
            } catch (RuntimeException e) {
                err.set(e);
            }
        }, "reference", 512L << 20);
        t.start();
        t.join();
        if (err.get() != null) {
            throw err.get();
        }
        return out.get();
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Test
    void equalsTheReferenceFunctionOnTheParityCases() throws Exception {
        NativeRuntime.loadTorch();
        Estimator est = EstimatorRegistry.load().create("nhsic-paper-f32", Map.of());
        List<String> rows = new ArrayList<>();
        int compared = 0;
        for (ParityTest.Case c : ParityTest.cases()) {
            if (c.m() == 4096) {
                continue;
            }
            float want = reference(c.x(), c.y());
            double got = est.estimate(c.x(), c.y()).value();
            assertEquals(want, (float) got, 0f, c.label() + ": nhsic-paper-f32 is not the reference function's value");
            assertEquals((double) want, got, 0.0, c.label());
            rows.add(String.format(java.util.Locale.ROOT, "%-18s reference f32 %12.6g  exact %12.6g  PyTorch run %12.6g",
                    c.label(), got, c.expected().get("nhsic_sigma50").asDouble(),
                    c.expected().get("reference_float32_nhsic_sigma50").asDouble()));
            compared++;
        }
        assertEquals(15, compared);
        rows.forEach(System.out::println);
    }

    /** The order of operations matters: r + r^T - 2a (and K = exp(D / -2 sigma^2)) gives other values. */
    @Test
    void anotherOperationOrderGivesOtherValues() throws Exception {
        NativeRuntime.loadTorch();
        int differ = 0;
        for (ParityTest.Case c : ParityTest.cases()) {
            if (c.m() != 512) {
                continue;
            }
            float want = reference(c.x(), c.y());
            float other = onDeepStack(() -> {
                Tensor[] r = new Tensor[2];
                double[][] v = {c.x(), c.y()};
                for (int i = 0; i < 2; i++) {
                    Tensor x = AbstractTensor.create(floats(v[i]), v[i].length, 1);
                    Tensor sq = x.mul(x).sum(new long[] {1}, true, null);
                    Tensor d = sq.add(sq.t()).sub(torch.mm(x, x.t()).mul(new Scalar(2.0))).abs();
                    Tensor kk = d.div(new Scalar(-2.0 * 50 * 50)).exp();
                    Tensor h = torch.eye(512).sub(torch.ones(new long[] {512, 512},
                            new TensorOptions(torch.ScalarType.Float)).div(new Scalar(512.0)));
                    Tensor k = torch.mm(kk, h);
                    r[i] = torch.mm(k, torch.inverse(k.add(torch.eye(512).mul(new Scalar(1e-5 * 512)))));
                }
                return r[0].mul(r[1].t()).sum().item_float();
            });
            if (other != want) {
                differ++;
            }
        }
        assertTrue(differ > 0, "a reordered computation should differ from the reference on some m = 512 case");
    }

    @Test
    void paperFloat32PathIsInexactOnSparseRows() throws IOException {
        // Context, not a target: the paper's float32 dense path differs from the exact value on sparse vectors.
        Estimator f32 = EstimatorRegistry.load().create("nhsic-paper-f32", Map.of());
        ParityTest.Case sparse = ParityTest.cases().stream().filter(c -> c.m() == 64 && c.kind().equals("sparse")).findFirst().orElseThrow();
        double exact = sparse.expected().get("nhsic_sigma50").asDouble();
        double v = f32.estimate(sparse.x(), sparse.y()).value();
        assertTrue(Double.isFinite(v));
        System.out.printf("paper float32 path on %s: %.6g vs exact %.6g (reference float32 code: %.6g)%n", sparse.label(),
                v, exact, sparse.expected().get("reference_float32_nhsic_sigma50").asDouble());
    }
}
