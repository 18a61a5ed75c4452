package dev.mipeaks.bench;

import dev.mipeaks.model.NativeRuntime;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The paper's nhsic, op for op, on LibTorch in float32 (the reference code's distmat, kernelmat and
 * hsic_normalized_cca): D = r + r^T - 2 X X^T (abs), K = exp(-D / (2 sigma^2)), Kc = K H,
 * R = Kc inverse(Kc + eps m I), value = sum(Rx * Ry^T). This is the "paper's float32 dense path" the fast estimator
 * is compared with: same library, same BLAS/LAPACK-backed ops as the PyTorch original. Run it on a thread with a
 * deep stack (-Xss64m): LAPACK's inverse at m >= 512 overflows the default 1 MB Java thread stack (a bare SIGSEGV).
 */
final class PaperTorchNhsic {
    private PaperTorchNhsic() {
    }

    static double value(double[] x, double[] y, double sigma, double eps) {
        NativeRuntime.loadTorch();
        try (PointerScope scope = new PointerScope()) {
            Tensor rx = r(x, sigma, eps);
            Tensor ry = r(y, sigma, eps);
            return rx.mul(ry.t()).sum().item_float();
        }
    }

    private static Tensor r(double[] v, double sigma, double eps) {
        int m = v.length;
        float[] f = new float[m];
        for (int i = 0; i < m; i++) {
            f[i] = (float) v[i];
        }
        Tensor x = AbstractTensor.create(f, m, 1);                         // [m, 1]
        Tensor sq = x.mul(x).sum(new long[] {1}, true, null);               // [m, 1]
        Tensor d = sq.add(sq.t()).sub(torch.mm(x, x.t()).mul(new Scalar(2.0))).abs(); // [m, m]
        Tensor k = d.div(new Scalar(-2.0 * sigma * sigma)).exp();           // [m, m]
        Tensor h = torch.eye(m).sub(torch.ones(new long[] {m, m}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Float)).div(new Scalar((double) m)));
        Tensor kc = torch.mm(k, h);                                          // K H
        Tensor inv = torch.inverse(kc.add(torch.eye(m).mul(new Scalar(eps * m))));
        return torch.mm(kc, inv);                                            // [m, m]
    }
}
