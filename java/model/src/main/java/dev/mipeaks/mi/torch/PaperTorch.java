package dev.mipeaks.mi.torch;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.model.NativeRuntime;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The reference's {@code hsic_normalized_cca} (MI-Peaks src/mi_estimators.py, as cal_mi.py calls it:
 * {@code estimate_mi_hsic(x, y)}, Gaussian kernel) op for op on LibTorch, the library under PyTorch, in float32:
 * <pre>
 * distmat:   r = sum(X * X, 1).view(-1, 1); a = mm(X, X^T); D = abs(r.expand_as(a) - 2 * a + r^T.expand_as(a))
 * kernelmat: H = eye(m) - (1/m) * ones(m, m); K = exp(-D / (2 sigma^2 * 1)).type(FloatTensor); Kc = mm(K, H)
 * nhsic:     Kc_i = inverse(Kc + (eps m) * eye(m)); R = Kc.mm(Kc_i); value = sum(mul(Rx, Ry^T))
 * </pre>
 * with the same scalar operands (Python floats: double scalars; {@code 2 * a}: an integer scalar), the same
 * {@code .type(torch.FloatTensor)} cast (to the CPU, float32: the reference's inverse always runs on the CPU, its
 * inputs being CPU tensors) and the same inverse routine ({@code torch.inverse}). The result is the float32 the
 * reference stores. Results can still differ from a PyTorch run in the last bits where the BLAS/LAPACK build
 * differs (PyTorch wheels use MKL, these presets OpenBLAS).
 *
 * <p>LAPACK's inverse at m >= 512 needs more than a Java thread's default stack, so each call runs on a thread with
 * a large stack. Needs the LibTorch jars (the MI commands otherwise run without them).
 */
public final class PaperTorch {
    private static final long STACK = 512L << 20;

    private PaperTorch() {
    }

    /** hsic_normalized_cca(x, y, sigma) with the ridge {@code eps} (the reference's epsilon, 1e-5). */
    public static double nhsic(double[] x, double[] y, double sigma, double eps) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        NativeRuntime.loadTorch();
        double[] out = new double[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try (PointerScope scope = new PointerScope()) {
                out[0] = value(floats(x), floats(y), sigma, eps);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "nhsic-paper-f32", STACK);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MipeaksException(ExitCode.INTERRUPTED, "interrupted", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return out[0];
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double value(float[] xv, float[] yv, double sigma, double eps) {
        Tensor x = AbstractTensor.create(xv, xv.length, 1); // x.reshape(-1, 1)
        Tensor y = AbstractTensor.create(yv, yv.length, 1);
        int m = (int) x.size(0);
        Tensor kxc = kernelmat(x, sigma);
        Tensor kyc = kernelmat(y, sigma);
        double epsilon = eps;
        Tensor kI = torch.eye(m);
        Tensor kxcI = torch.inverse(kxc.add(kI.mul(new Scalar(epsilon * m))));
        Tensor kycI = torch.inverse(kyc.add(kI.mul(new Scalar(epsilon * m))));
        Tensor rx = kxc.mm(kxcI);
        Tensor ry = kyc.mm(kycI);
        return torch.sum(torch.mul(rx, ry.t())).item_float();
    }

    private static Tensor distmat(Tensor x) {
        Tensor r = torch.sum(torch.mul(x, x), 1);
        r = r.view(-1, 1);
        Tensor a = torch.mm(x, torch.transpose(x, 0, 1));
        Tensor d = r.expand_as(a).sub(a.mul(new Scalar(2L))).add(torch.transpose(r, 0, 1).expand_as(a));
        return torch.abs(d);
    }

    private static Tensor kernelmat(Tensor x, double sigma) {
        int m = (int) x.size(0);
        Tensor ones = torch.ones(new long[] {m, m}, new TensorOptions(torch.ScalarType.Float));
        Tensor h = torch.eye(m).sub(ones.mul(new Scalar(1.0 / m)));
        Tensor dxx = distmat(x);
        double variance = 2.0 * sigma * sigma * x.size(1);
        Tensor kx = dxx.neg().div(new Scalar(variance)).exp().to(new Device("cpu"), torch.ScalarType.Float);
        return torch.mm(kx, h);
    }
}
