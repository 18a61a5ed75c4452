// Lab code of the kernel experiments: phases for mp_lowrank (kernels/lowrank.cuh) other than the shipped ones, used
// by the numbered variants in this folder. Nothing here is shipped: CMake builds kernels/*.cu only; the native
// harness (native/mipeaks_check.cu, native/mipeaks_emu.cpp) builds a variant with -DMP_NHSIC_CU='"../kernels/dev/
// nhsic_NN_....cu"' in place of kernels/nhsic.cu (scripts/make-device-bundle.sh, EmulatedKernelsTest).
// Switches of the fused phases: MP_TA x MP_TB (warp tile of mp_cross_w), MP_NOINLINE_PHASES (factor and cross as
// separate functions with their own register allocation).
#pragma once
#include "../lowrank.cuh"

#ifndef MP_TA
#define MP_TA 4             // mp_cross_w tiles: MP_TA x-columns by MP_TB y-columns per warp item (TA*TB <= 32,
#endif                      // a power of two)
#ifndef MP_TB
#define MP_TB 4
#endif
#ifndef MP_NOINLINE_PHASES
#define MP_NOINLINE_PHASES 0
#endif
#if MP_NOINLINE_PHASES
#define MP_PHASE __noinline__
#else
#define MP_PHASE
#endif
__device__ __forceinline__ double mp_shfl_xor(double v, int o) { return __shfl_xor_sync(MP_FULL, v, o); }

// Sums each of v[0..N) over the warp (N a power of two <= 32) with N-1 shuffles instead of 5N: a butterfly that
// halves the values each round (a lane keeps the half its lane bit selects). Lane L ends with the total of value
// L % N in v[0]. The order of additions is fixed, so results do not depend on scheduling.
template <int N>
__device__ __forceinline__ void mp_warp_transpose_sum(double (&v)[N], int lane) {
#pragma unroll
    for (int o = 16; o >= N; o >>= 1)
#pragma unroll
        for (int t = 0; t < N; ++t) v[t] += mp_shfl_xor(v[t], o);
#pragma unroll
    for (int n = N; n > 1; n >>= 1) {
        const int o = n >> 1;
        const bool up = (lane & o) != 0;
#pragma unroll
        for (int t = 0; t < n / 2; ++t) {
            const double send = up ? v[t] : v[t + n / 2];
            const double keep = up ? v[t + n / 2] : v[t];
            v[t] = keep + mp_shfl_xor(send, o);
        }
    }
}

// C = (X - 1 muX^T)^T (Y - 1 muY^T) (rx x ry, ld = rmax); muX / muY null when that side is centred already.
// Work items are (MP_TA x MP_TB tile, slice of m), one warp each, no block barrier inside an item: each column is
// read rx/MP_TA or ry/MP_TB times, and the block synchronises once per round of items (partials in sm.part,
// summed over slices in a fixed order: deterministic).
__device__ MP_PHASE void mp_cross_w(const MpSmem& sm, int m, const MpCols& X, const double* muX, int rx, const MpCols& Y,
                           const double* muY, int ry, double* C, int rmax) {
    constexpr int TA = MP_TA, TB = MP_TB, N = TA * TB;
    static_assert(N <= 32 && (N & (N - 1)) == 0, "MP_TA * MP_TB must be a power of two <= 32");
    const int tid = threadIdx.x, T = blockDim.x, lane = tid & 31, w = tid >> 5, nw = T >> 5;
    const int tb = (ry + TB - 1) / TB, tiles = ((rx + TA - 1) / TA) * tb;
    int chunks = (nw + tiles - 1) / tiles;
    const int len = ((m + chunks - 1) / chunks + 31) / 32 * 32;  // slice length, a multiple of the warp size
    chunks = (m + len - 1) / len;
    const int cap = 32 * (rmax > 16 ? rmax : 16) / N;  // items that fit in sm.part (>= 16 >= chunks)
    const int tilesPerRound = cap / chunks;
    for (int t0 = 0; t0 < tiles; t0 += tilesPerRound) {
        const int nt = tiles - t0 < tilesPerRound ? tiles - t0 : tilesPerRound;
        for (int it = w; it < nt * chunks; it += nw) {
            const int tile = t0 + it / chunks, ch = it % chunks;
            const int a0 = (tile / tb) * TA, b0 = (tile % tb) * TB;
            const double* xc[TA];
            const double* yc[TB];
            double mx[TA], my[TB];
#pragma unroll
            for (int u = 0; u < TA; ++u) {
                xc[u] = a0 + u < rx ? X.col(a0 + u) : nullptr;
                mx[u] = a0 + u < rx && muX ? muX[a0 + u] : 0.0;
            }
#pragma unroll
            for (int v = 0; v < TB; ++v) {
                yc[v] = b0 + v < ry ? Y.col(b0 + v) : nullptr;
                my[v] = b0 + v < ry && muY ? muY[b0 + v] : 0.0;
            }
            double acc[N];
#pragma unroll
            for (int t = 0; t < N; ++t) acc[t] = 0.0;
            const int hi = (ch + 1) * len < m ? (ch + 1) * len : m;
#pragma unroll 2
            for (int i = ch * len + lane; i < hi; i += 32) {
                double xv[TA], yv[TB];
#pragma unroll
                for (int u = 0; u < TA; ++u) xv[u] = xc[u] ? xc[u][i] - mx[u] : 0.0;
#pragma unroll
                for (int v = 0; v < TB; ++v) yv[v] = yc[v] ? yc[v][i] - my[v] : 0.0;
#pragma unroll
                for (int u = 0; u < TA; ++u)
#pragma unroll
                    for (int v = 0; v < TB; ++v) acc[u * TB + v] += xv[u] * yv[v];
            }
            mp_warp_transpose_sum<N>(acc, lane);
            if (lane < N) sm.part[(size_t)it * N + lane] = acc[0];
        }
        __syncthreads();
        for (int idx = tid; idx < nt * N; idx += T) {
            const int tl = idx / N, e = idx % N, tile = t0 + tl;
            const int a = (tile / tb) * TA + e / TB, b = (tile % tb) * TB + e % TB;
            double r = 0.0;
            for (int ch = 0; ch < chunks; ++ch) r += sm.part[(size_t)(tl * chunks + ch) * N + e];
            if (a < rx && b < ry) C[(size_t)a * rmax + b] = r;
        }
        __syncthreads();
    }
}

// mp_factor with G = B^T B formed inside the factor: the pass of step k reads every previous column j at this
// thread's entries anyway, so it also accumulates (a_{k-1} - mu_{k-1}) . (a_j - mu_j) (mu_{k-1} is known after the
// step's reduction). Warp partials go to sm.part[w * rmax + j] and are summed at the next step's reduction (its
// barriers order them); the last row needs one more pass when the factor stops. No centring pass unless `centre`:
// otherwise the columns stay uncentred and sm.mu[0..k) holds their means (mp_cross_w centres on the fly).
// G is bit-identical to mp_factor's (same products, same order of additions). The pivot step (reduction, stop test,
// pivot row, kernel column) repeats mp_factor's line for line: this variant changes only what the pass accumulates.
template <int E>
__device__ MP_PHASE int mp_factor_f(const MpSmem& sm, int m, double sigma, double tol, int rmax, const MpCols& X, double* G,
                           bool centre) {
    const int tid = threadIdx.x, T = blockDim.x, lane = tid & 31, w = tid >> 5, nw = T >> 5;
    const double inv2s2 = 1.0 / (2.0 * sigma * sigma);
    MP_PROF_DECL;
    for (int i = tid; i < m; i += T) sm.d[i] = 1.0;
    double s[E], prev[E];  // residual of the new column; column k-1 at this thread's entries
    int k = 0;
    double colsum = 0.0;
    for (;;) {
        double vmax, dsum;
        int imax;
        mp_scan_residual<E>(sm, m, vmax, imax, dsum);
        mp_reduce3(vmax, imax, dsum, colsum, sm.red);
        if (k >= 2)  // row k-2 of G, from the pass of the previous step
            for (int j = tid; j <= k - 2; j += T) {
                double g = 0.0;
                for (int q = 0; q < nw; ++q) g += sm.part[q * rmax + j];
                G[(size_t)(k - 2) * rmax + j] = g;
                G[(size_t)j * rmax + (k - 2)] = g;
            }
        MP_PROF_MARK(MP_PROF_F_REDUCE);
        const double muk = k > 0 ? colsum / m : 0.0;  // mean of column k-1
        if (k > 0 && tid == 0) sm.mu[k - 1] = muk;
        const bool stop = dsum <= tol || vmax <= MP_DMIN || k == m;
        if (!stop && k == rmax) return -1;  // uniform across the block
        const int p = imax;
        if (!stop)
            for (int j = tid; j < k; j += T) sm.prow[j] = X.col(j)[p];
        __syncthreads();
        const double piv = sqrt(vmax);
        mp_kernel_column<E>(sm, m, p, stop, inv2s2, s);
        MP_PROF_MARK(MP_PROF_F_EXP);
        if (k > 0) {
            // residual of the new column (unless stopping) and row k-1 of G, in one pass over the columns
#pragma unroll 2
            for (int j = 0; j < k; ++j) {
                const double* cj = X.col(j);
                const double pj = stop ? 0.0 : sm.prow[j];
                const double muj = j == k - 1 ? muk : sm.mu[j];
                double g = 0.0;
#pragma unroll
                for (int e = 0; e < E; ++e) {
                    const int i = tid + e * T;
                    if (i < m) {
                        const double a = cj[i];
                        s[e] -= a * pj;
                        g += (prev[e] - muk) * (a - muj);
                    }
                }
                g = mp_warp_sum(g);
                if (lane == 0) sm.part[w * rmax + j] = g;
            }
        }
        MP_PROF_MARK(MP_PROF_F_PASS);
        if (stop) break;
        colsum = mp_store_column<E>(sm, m, p, piv, s, X.col(k), prev);
        ++k;
        MP_PROF_MARK(MP_PROF_F_GNEW);
    }
    __syncthreads();  // sm.part (row k-1 of G) and sm.mu complete
    if (k >= 1)
        for (int j = tid; j < k; j += T) {
            double g = 0.0;
            for (int q = 0; q < nw; ++q) g += sm.part[q * rmax + j];
            G[(size_t)(k - 1) * rmax + j] = g;
            G[(size_t)j * rmax + (k - 1)] = g;
        }
    if (centre) mp_centre_columns(sm, m, k, X);
    __syncthreads();
    MP_PROF_MARK(MP_PROF_F_CENTRE);
    return k;
}

// The shipped phases with nhsic's r x r stage on the whole block (mp_cholesky + mp_whitened_sumsq in the global
// scratch) instead of one warp: the kernels as shipped until 2026-11-27.
struct MpBlockStagePhases : MpPhases {
    static constexpr bool kWarpSmallStage = false;
};

// G formed inside the factor's pass (mp_factor_f), x left uncentred (means in sm.mu), C by warp tiles (mp_cross_w).
struct MpFusedPhases {
    static constexpr bool kWarpSmallStage = true;
    template <int E>
    static __device__ int factor_y(const MpSmem& sm, int m, double s, double tol, int rmax, const MpCols& Y, double* G) {
        return mp_factor_f<E>(sm, m, s, tol, rmax, Y, G, true);
    }
    template <int E>
    static __device__ int factor_x(const MpSmem& sm, int m, double s, double tol, int rmax, const MpCols& X, double* G) {
        return mp_factor_f<E>(sm, m, s, tol, rmax, X, G, false);  // uncentred, means in sm.mu
    }
    static __device__ void cross(const MpSmem& sm, int m, const MpCols& X, int rx, const MpCols& Y, int ry, double* C,
                                 int rmax) {
        mp_cross_w(sm, m, X, sm.mu, rx, Y, nullptr, ry, C, rmax);
    }
};

// nhsic's finish step (as kernels/nhsic.cu), for the variants' entry points.
struct MpNhsicDev {
    static constexpr bool kNeedsCholesky = true;
    static constexpr bool kWhitenedSumsq = true;
    static __device__ double finish(const MpPair& P) { return mp_whitened_sumsq(P); }
};
