// cka-linear: linear CKA of the m one-dimensional samples, i.e. the squared Pearson correlation
//   corr(x, y)^2 = (xc . yc)^2 / ((xc . xc)(yc . yc)),  xc = x - mean(x);  0 when a side is constant.
// One block per pair (persistent), float64 sums, deterministic reductions. rank_x = rank_y = -1 (no factor).
// Entry points: mipeaks_cka_linear_f32, mipeaks_cka_linear_bf16. Uses only x, y, n, m, ldx, ldy, y_group and the outputs.
#include "lowrank.cuh"

// Block-wide sums of three values (every thread gets them).
__device__ void mp_block_sum3(double& a, double& b, double& c, double* red) {
    const int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
    __syncthreads();
    a = mp_warp_sum(a); b = mp_warp_sum(b); c = mp_warp_sum(c);
    if (lane == 0) { red[3 * w] = a; red[3 * w + 1] = b; red[3 * w + 2] = c; }
    __syncthreads();
    a = 0.0; b = 0.0; c = 0.0;
    for (int q = 0; q < nw; ++q) { a += red[3 * q]; b += red[3 * q + 1]; c += red[3 * q + 2]; }
    __syncthreads();  // everyone has read red before the next call writes it
}

template <typename TIn>
__device__ void mp_cka_linear(const MipeaksArgs& a) {
    __shared__ double red[3 * 32];
    const int m = (int)a.m, tid = threadIdx.x, T = blockDim.x;
    const TIn* xin = (const TIn*)a.x;
    const TIn* yin = (const TIn*)a.y;
    for (int64_t pr = blockIdx.x; pr < a.n; pr += gridDim.x) {
        const TIn* xr = xin + pr * a.ldx;
        const TIn* yr = yin + (a.y_group ? (int64_t)a.y_group[pr] * a.ldy : a.ldy == 0 ? 0 : pr * a.ldy);
        double sx = 0.0, sy = 0.0;
        int bad = 0;
        for (int i = tid; i < m; i += T) {
            const float u = mp_load(xr, i), v = mp_load(yr, i);
            bad |= !isfinite(u) || !isfinite(v);
            sx += u;
            sy += v;
        }
        double nbad = bad;
        mp_block_sum3(sx, sy, nbad, red);
        if (nbad > 0) {
            if (tid == 0) {
                a.value[pr] = 0.0;
                a.rank_x[pr] = -1;
                a.rank_y[pr] = -1;
                a.status[pr] = MIPEAKS_NONFINITE;
            }
            __syncthreads();  // red is reused
            continue;
        }
        const double mx = sx / m, my = sy / m;
        double xy = 0.0, xx = 0.0, yy = 0.0;
        for (int i = tid; i < m; i += T) {
            const double u = (double)mp_load(xr, i) - mx, v = (double)mp_load(yr, i) - my;
            xy += u * v; xx += u * u; yy += v * v;
        }
        mp_block_sum3(xy, xx, yy, red);
        if (tid == 0) {
            a.value[pr] = (xx > 0.0 && yy > 0.0) ? (xy * xy) / (xx * yy) : 0.0;
            a.rank_x[pr] = -1;
            a.rank_y[pr] = -1;
            a.status[pr] = MIPEAKS_OK;
        }
    }
}

extern "C" __global__ void __launch_bounds__(MP_MAX_THREADS) mipeaks_cka_linear_f32(MipeaksArgs a) {
    mp_cka_linear<float>(a);
}
extern "C" __global__ void __launch_bounds__(MP_MAX_THREADS) mipeaks_cka_linear_bf16(MipeaksArgs a) {
    mp_cka_linear<mp_bf16>(a);
}
