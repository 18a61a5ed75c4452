package dev.mipeaks.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code MipeaksArgs} struct of {@code kernels/mipeaks_abi.h}, written field by field (every field is 8 bytes,
 * in declaration order), passed by value to the kernel.
 */
final class KernelArgs {
    static final int FLAG_Y_FACTORED = 1;
    static final int FLAG_WRITE_Y_FACTOR = 2;
    static final int STATUS_OK = 0;
    static final int STATUS_RANK_OVERFLOW = 1;
    static final int STATUS_NONFINITE = 2;
    static final int FIELDS = 25;

    long x;
    long y;
    long n;
    long m;
    long ldx;
    long ldy;
    long sigmaX;
    long sigmaY;
    double sigma;
    double eps;
    double tolTrace;
    long rmax;
    long smemCols;
    long scratch;
    long value;
    long rankX;
    long rankY;
    long status;
    long yB;
    long yG;
    long yL;
    long yRank;
    long flags;
    double param0;
    long yGroup;

    KernelArgs copy() {
        KernelArgs c = new KernelArgs();
        c.x = x; c.y = y; c.n = n; c.m = m; c.ldx = ldx; c.ldy = ldy; c.sigmaX = sigmaX; c.sigmaY = sigmaY;
        c.sigma = sigma; c.eps = eps; c.tolTrace = tolTrace; c.rmax = rmax; c.smemCols = smemCols; c.scratch = scratch;
        c.value = value; c.rankX = rankX; c.rankY = rankY; c.status = status; c.yB = yB; c.yG = yG; c.yL = yL;
        c.yRank = yRank; c.flags = flags; c.param0 = param0; c.yGroup = yGroup;
        return c;
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(FIELDS * 8).order(ByteOrder.nativeOrder());
        b.putLong(x).putLong(y).putLong(n).putLong(m).putLong(ldx).putLong(ldy).putLong(sigmaX).putLong(sigmaY)
                .putDouble(sigma).putDouble(eps).putDouble(tolTrace).putLong(rmax).putLong(smemCols).putLong(scratch)
                .putLong(value).putLong(rankX).putLong(rankY).putLong(status).putLong(yB).putLong(yG).putLong(yL)
                .putLong(yRank).putLong(flags).putDouble(param0).putLong(yGroup);
        return b.array();
    }

    /** Doubles of global scratch per block (mipeaks_scratch_doubles). */
    static long scratchDoubles(long m, long rmax) {
        return 2 * rmax * m + 6 * rmax * rmax;
    }

    /** Dynamic shared memory before the factor columns (mp_smem_fixed_bytes in lowrank.cuh). */
    static long smemFixedBytes(long m, long rmax) {
        return (4 * m + 15) / 16 * 16 + 8 * m + 16 * rmax + 8 * 32 * Math.max(rmax, 16) + 8 * 4 * 33;
    }
}
