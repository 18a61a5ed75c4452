// Shared device code of the low-rank Gaussian-kernel estimators (nhsic, hsic, cka-rbf).
//
// Each vector v in R^m is read as m one-dimensional samples. Its Gaussian Gram K_ij = exp(-(v_i-v_j)^2/(2 s^2))
// is factored on the fly by greedy pivoted Cholesky, K ~= A A^T (A: m x r), entirely in float64:
//   pivot p = argmax of the residual diagonal d (d starts at 1, ties -> smallest index);
//   a_k[i] = (K(i,p) - sum_{j<k} A[i,j] A[p,j]) / sqrt(d[p]);  d[i] = max(d[i] - a_k[i]^2, 0);
//   stop when sum(d) <= tol_trace, or max(d) <= 64 * 2^-52, or k == m.
// The factor is centred (B = H A, column means removed) and its Gram G = B^T B is formed afterwards with the
// register tiles of mp_cross (the pass over previous columns stays free of reductions). The estimators then need
// only the r x r matrices G_x, G_y and C = B_x^T B_y (see nhsic.cu, hsic.cu, cka_rbf.cu).
//
// Work layout: one thread block per pair (persistent blocks loop over pairs). Thread t owns entries
// i = t, t + T, t + 2T, ... (at most E of them: E = MP_EMAX = 8 in the plain entry points, 16 in the _x16 ones,
// which the host takes only when m > 8 * blockDim.x; fewer entries per thread keep everything in registers).
// Factor columns live in dynamic shared memory up to args.smem_cols columns, the rest in the block's global
// scratch slot (L2-resident). A factor that needs more than args.rmax columns is reported as
// MIPEAKS_RANK_OVERFLOW and recomputed by the host: slower, never wrong.
//
// nhsic's small r x r stage (Cholesky, two solves, sum of squares) runs in one warp in shared memory when it fits.
// This file is the shipped path only: the measured winner (H200, kernels/README.md). Variants that lost (fused G,
// warp-tile cross products, 16 entries per thread, the block r x r stage) are numbered files in kernels/dev/ that
// plug other phases into mp_lowrank (template parameter Ph); the native harness builds and measures them.
// MP_PROFILE (harness builds only): per-phase clock64() counts.
#pragma once
#include "mipeaks_abi.h"

#ifndef MP_EMAX
#define MP_EMAX 8           // entries per thread of the plain entry points: m <= MP_EMAX * blockDim.x
#endif
#define MP_EMAX_WIDE 16     // entries per thread of the _x16 entry points (m up to 16 * 512 = 8192)
#define MP_MAX_THREADS 512  // __launch_bounds__ of every low-rank entry point
#define MP_DMIN (64.0 * 2.220446049250313e-16)
#define MP_FULL 0xffffffffu

typedef unsigned short mp_bf16;

// Dynamic shared memory; native/cuda_emu.h (the kernels on CPU threads, for tests without a GPU) redefines it.
#ifndef MP_DYNAMIC_SMEM
#define MP_DYNAMIC_SMEM(name) extern __shared__ __align__(16) unsigned char name[]
#endif  // raw bfloat16 bits (no cuda_bf16.h: keeps the kernels NVRTC-friendly)

__device__ __forceinline__ float mp_load(const float* p, int64_t i) { return p[i]; }
__device__ __forceinline__ float mp_load(const mp_bf16* p, int64_t i) {
    return __uint_as_float(((unsigned)p[i]) << 16);
}

// Loads row `row` (m elements) into sm.xs; returns nonzero in every thread when any element is NaN/Inf. The host
// does not scan the input: it asks the row that a kernel flagged (MIPEAKS_NONFINITE) for the message.
template <typename TIn>
__device__ int mp_load_row(float* xs, const TIn* row, int m) {
    int bad = 0;
    for (int i = threadIdx.x; i < m; i += blockDim.x) {
        const float v = mp_load(row, i);
        xs[i] = v;
        bad |= !isfinite(v);
    }
    return __syncthreads_or(bad);
}

// Columns 0..ns-1 in shared memory, ns.. in global memory.
struct MpCols {
    double* s;
    int ns;
    double* g;
    int m;
    __device__ __forceinline__ double* col(int j) const {
        return j < ns ? s + (size_t)j * m : g + (size_t)(j - ns) * m;
    }
};

// Pieces of dynamic shared memory (carved by mp_carve; mp_smem_fixed_bytes is the host-side size).
struct MpSmem {
    float* xs;      // [m] the vector being factored (f32 and bf16 inputs are exact in float)
    double* d;      // [m] residual diagonal
    double* prow;   // [rmax] pivot row A[p, 0..k-1]
    double* mu;     // [rmax] column means
    double* part;   // [32 * max(rmax, 16)] per-warp partial sums
    double* red;    // [4 * 33] reduction slots
    double* cols;   // [smem_cols * m]
};

__device__ __forceinline__ MpSmem mp_carve(unsigned char* base, int m, int rmax) {
    MpSmem s;
    size_t off = 0;
    s.xs = (float*)(base + off);
    off += ((size_t)4 * m + 15) / 16 * 16;
    s.d = (double*)(base + off);
    off += (size_t)8 * m;
    s.prow = (double*)(base + off);
    off += (size_t)8 * rmax;
    s.mu = (double*)(base + off);
    off += (size_t)8 * rmax;
    s.part = (double*)(base + off);
    off += (size_t)8 * 32 * (rmax > 16 ? rmax : 16);
    s.red = (double*)(base + off);
    off += (size_t)8 * 4 * 33;
    s.cols = (double*)(base + off);
    return s;
}

// Host-side twin of mp_carve: bytes before the columns.
static inline __host__ __device__ int64_t mp_smem_fixed_bytes(int64_t m, int64_t rmax) {
    return ((4 * m + 15) / 16 * 16) + 8 * m + 16 * rmax + 8 * 32 * (rmax > 16 ? rmax : 16) + 8 * 4 * 33;
}

// Tuning instrument (native harness built with -DMP_PROFILE, never in the shipped kernels): thread 0 of every block
// adds the clock64() cycles of each phase into mp_prof[MP_PROF_*]; the harness prints them per pair.
#ifdef MP_PROFILE
enum { MP_PROF_FACTOR_Y, MP_PROF_LOAD_X, MP_PROF_FACTOR_X, MP_PROF_CROSS, MP_PROF_CHOL, MP_PROF_FINISH, MP_PROF_F_REDUCE,
       MP_PROF_F_EXP, MP_PROF_F_PASS, MP_PROF_F_GNEW, MP_PROF_F_CENTRE, MP_PROF_N };
__device__ unsigned long long mp_prof[16];
#define MP_PROF_DECL long long mp_t0_ = clock64()
#define MP_PROF_MARK(slot)                                                                         \
    do {                                                                                           \
        if (threadIdx.x == 0) {                                                                    \
            const long long t_ = clock64();                                                        \
            atomicAdd(&mp_prof[slot], (unsigned long long)(t_ - mp_t0_));                          \
            mp_t0_ = t_;                                                                           \
        }                                                                                          \
    } while (0)
#else
#define MP_PROF_DECL
#define MP_PROF_MARK(slot) \
    do {                   \
    } while (0)
#endif

__device__ __forceinline__ double mp_warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(MP_FULL, v, o);
    return v;
}

// Warp-wide (max with smallest index on ties, sum, sum); lane 0 gets the results.
__device__ __forceinline__ void mp_warp_reduce3(double& vmax, int& imax, double& s1, double& s2) {
    for (int o = 16; o > 0; o >>= 1) {
        double ov = __shfl_down_sync(MP_FULL, vmax, o);
        int oi = __shfl_down_sync(MP_FULL, imax, o);
        if (ov > vmax || (ov == vmax && oi < imax)) { vmax = ov; imax = oi; }
        s1 += __shfl_down_sync(MP_FULL, s1, o);
        s2 += __shfl_down_sync(MP_FULL, s2, o);
    }
}

// Block-wide (max with smallest index on ties, sum, sum); every thread gets the results.
__device__ void mp_reduce3(double& vmax, int& imax, double& s1, double& s2, double* red) {
    const int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
    __syncthreads();  // red may still be read from the previous call
    mp_warp_reduce3(vmax, imax, s1, s2);
    if (lane == 0) {
        red[4 * w] = vmax; red[4 * w + 1] = (double)imax; red[4 * w + 2] = s1; red[4 * w + 3] = s2;
    }
    __syncthreads();
    if (w == 0) {
        vmax = lane < nw ? red[4 * lane] : -INFINITY;
        imax = lane < nw ? (int)red[4 * lane + 1] : 0x7fffffff;
        s1 = lane < nw ? red[4 * lane + 2] : 0.0;
        s2 = lane < nw ? red[4 * lane + 3] : 0.0;
        mp_warp_reduce3(vmax, imax, s1, s2);
        if (lane == 0) { red[128] = vmax; red[129] = (double)imax; red[130] = s1; red[131] = s2; }
    }
    __syncthreads();
    vmax = red[128]; imax = (int)red[129]; s1 = red[130]; s2 = red[131];
}

// C = X^T Y (rx x ry, ld = rmax) for centred factors, 4 x 4 register tiles, deterministic block reduction.
// sym (X == Y, rx == ry): only the tiles on or below the diagonal are computed, each entry is written to both halves.
__device__ void mp_cross(const MpSmem& sm, int m, const MpCols& X, int rx, const MpCols& Y, int ry, double* C, int rmax,
                         bool sym = false) {
    const int tid = threadIdx.x, T = blockDim.x, lane = tid & 31, w = tid >> 5, nw = T >> 5;
    for (int a0 = 0; a0 < rx; a0 += 4) {
        for (int b0 = 0; b0 < (sym ? a0 + 1 : ry); b0 += 4) {
            const double* xc[4];
            const double* yc[4];
#pragma unroll
            for (int t = 0; t < 4; ++t) {
                xc[t] = a0 + t < rx ? X.col(a0 + t) : nullptr;
                yc[t] = b0 + t < ry ? Y.col(b0 + t) : nullptr;
            }
            double acc[16];
#pragma unroll
            for (int t = 0; t < 16; ++t) acc[t] = 0.0;
            for (int i = tid; i < m; i += T) {
                double xv[4], yv[4];
#pragma unroll
                for (int t = 0; t < 4; ++t) {
                    xv[t] = xc[t] ? xc[t][i] : 0.0;
                    yv[t] = yc[t] ? yc[t][i] : 0.0;
                }
#pragma unroll
                for (int u = 0; u < 4; ++u)
#pragma unroll
                    for (int v = 0; v < 4; ++v) acc[u * 4 + v] += xv[u] * yv[v];
            }
#pragma unroll
            for (int t = 0; t < 16; ++t) {
                const double r = mp_warp_sum(acc[t]);
                if (lane == 0) sm.part[w * 16 + t] = r;
            }
            __syncthreads();
            if (tid < 16) {
                const int u = tid >> 2, v = tid & 3;
                double r = 0.0;
                for (int q = 0; q < nw; ++q) r += sm.part[q * 16 + tid];
                if (a0 + u < rx && b0 + v < ry) {
                    C[(size_t)(a0 + u) * rmax + (b0 + v)] = r;
                    if (sym) C[(size_t)(b0 + v) * rmax + (a0 + u)] = r;
                }
            }
            __syncthreads();
        }
    }
}

// Pieces shared by mp_factor and mp_factor_f. Thread t owns entries i = t + e * T, e < E.
// This thread's largest residual (smallest index on ties) and its sum of residuals.
template <int E>
__device__ __forceinline__ void mp_scan_residual(const MpSmem& sm, int m, double& vmax, int& imax, double& dsum) {
    vmax = -INFINITY;
    dsum = 0.0;
    imax = 0x7fffffff;
#pragma unroll
    for (int e = 0; e < E; ++e) {
        const int i = threadIdx.x + e * blockDim.x;
        if (i < m) {
            const double v = sm.d[i];
            if (v > vmax) { vmax = v; imax = i; }
            dsum += v;
        }
    }
}

// s[e] = K(i, p) = exp(-(x_i - x_p)^2 / (2 s^2)) at this thread's entries (0 when stopping or i >= m).
template <int E>
__device__ __forceinline__ void mp_kernel_column(const MpSmem& sm, int m, int p, bool stop, double inv2s2, double (&s)[E]) {
    const double xp = stop ? 0.0 : (double)sm.xs[p];
#pragma unroll
    for (int e = 0; e < E; ++e) {
        const int i = threadIdx.x + e * blockDim.x;
        s[e] = 0.0;
        if (i < m && !stop) {
            const double dx = (double)sm.xs[i] - xp;
            s[e] = exp(-(dx * dx) * inv2s2);
        }
    }
}

// Column k = residual / pivot (the pivot entry exactly piv), the residual diagonal updated (clipped at 0 like the
// CPU engine); returns this thread's part of the column sum. col[e] receives the values (0 for i >= m); col may
// be s.
template <int E>
__device__ __forceinline__ double mp_store_column(const MpSmem& sm, int m, int p, double piv, const double (&s)[E],
                                                  double* cn, double (&col)[E]) {
    double colsum = 0.0;
#pragma unroll
    for (int e = 0; e < E; ++e) {
        const int i = threadIdx.x + e * blockDim.x;
        double a = 0.0;
        if (i < m) {
            a = i == p ? piv : s[e] / piv;
            cn[i] = a;
            sm.d[i] = i == p ? 0.0 : fmax(sm.d[i] - a * a, 0.0);
            colsum += a;
        }
        col[e] = a;  // after s[e] is read: col may be s itself
    }
    return colsum;
}

// Subtracts the means sm.mu[0..k) from columns 0..k-1 (B = H A).
__device__ __forceinline__ void mp_centre_columns(const MpSmem& sm, int m, int k, const MpCols& X) {
    for (int j = 0; j < k; ++j) {
        double* cj = X.col(j);
        const double mj = sm.mu[j];
        for (int i = threadIdx.x; i < m; i += blockDim.x) cj[i] -= mj;
    }
}

// Pivoted Cholesky of the Gaussian Gram of sm.xs[0..m). On return the columns in X are centred (B = H A),
// G (ld = rmax) holds B^T B, and the rank is returned; -1 when rmax columns were not enough.
template <int E>
__device__ int mp_factor(const MpSmem& sm, int m, double sigma, double tol, int rmax, const MpCols& X, double* G) {
    const int tid = threadIdx.x, T = blockDim.x;
    const double inv2s2 = 1.0 / (2.0 * sigma * sigma);
    MP_PROF_DECL;
    for (int i = tid; i < m; i += T) sm.d[i] = 1.0;
    double s[E];
    int k = 0;
    double colsum = 0.0;   // this thread's part of the sum of column k-1
    for (;;) {
        double vmax, dsum;
        int imax;
        mp_scan_residual<E>(sm, m, vmax, imax, dsum);
        mp_reduce3(vmax, imax, dsum, colsum, sm.red);
        MP_PROF_MARK(MP_PROF_F_REDUCE);
        if (k > 0) {
            if (tid == 0) sm.mu[k - 1] = colsum / m;
        }
        const bool stop = dsum <= tol || vmax <= MP_DMIN || k == m;
        if (!stop && k == rmax) return -1;  // uniform across the block
        const int p = imax;
        if (!stop)
            for (int j = tid; j < k; j += T) sm.prow[j] = X.col(j)[p];
        __syncthreads();
        const double piv = sqrt(vmax);
        mp_kernel_column<E>(sm, m, p, stop, inv2s2, s);
        MP_PROF_MARK(MP_PROF_F_EXP);
        // One pass over the existing columns: the residual of the new column. Only independent loads and FMAs (no
        // reduction per column), so the loads of successive columns overlap; G = B^T B is formed after the factor.
        if (!stop) {
#pragma unroll 2
            for (int j = 0; j < k; ++j) {
                const double* cj = X.col(j);
                const double pj = sm.prow[j];
#pragma unroll
                for (int e = 0; e < E; ++e) {
                    const int i = tid + e * T;
                    if (i < m) s[e] -= cj[i] * pj;
                }
            }
        }
        MP_PROF_MARK(MP_PROF_F_PASS);
        if (stop) break;
        colsum = mp_store_column<E>(sm, m, p, piv, s, X.col(k), s);
        ++k;
        MP_PROF_MARK(MP_PROF_F_GNEW);
    }
    __syncthreads();  // sm.mu complete
    mp_centre_columns(sm, m, k, X);
    __syncthreads();
    MP_PROF_MARK(MP_PROF_F_CENTRE);
    mp_cross(sm, m, X, k, X, k, G, rmax, true);  // G = B^T B (symmetric: lower tiles, mirrored)
    MP_PROF_MARK(MP_PROF_F_GNEW);
    return k;
}


// L L^T = G + c I for the leading r x r block (ld = rmax), row-major lower triangle in L.
__device__ void mp_cholesky(const double* G, double* L, int r, int ld, double c) {
    const int tid = threadIdx.x, T = blockDim.x;
    for (int idx = tid; idx < r * r; idx += T) {
        const int i = idx / r, j = idx % r;
        L[(size_t)i * ld + j] = j <= i ? G[(size_t)i * ld + j] + (i == j ? c : 0.0) : 0.0;
    }
    __syncthreads();
    for (int k = 0; k < r; ++k) {
        if (tid == 0) L[(size_t)k * ld + k] = sqrt(L[(size_t)k * ld + k]);
        __syncthreads();
        const double lkk = L[(size_t)k * ld + k];
        for (int i = k + 1 + tid; i < r; i += T) L[(size_t)i * ld + k] /= lkk;
        __syncthreads();
        const int n = r - k - 1;
        for (int idx = tid; idx < n * n; idx += T) {
            const int i = k + 1 + idx / n, j = k + 1 + idx % n;
            if (j <= i) L[(size_t)i * ld + j] -= L[(size_t)i * ld + k] * L[(size_t)j * ld + k];
        }
        __syncthreads();
    }
}

// Sum of squares of the first r x c block (ld), by warp 0 in a fixed order; valid in thread 0.
__device__ double mp_sumsq(const double* M, int r, int c, int ld) {
    double s = 0.0;
    if (threadIdx.x < 32) {
        for (int idx = threadIdx.x; idx < r * c; idx += 32) {
            const double v = M[(size_t)(idx / c) * ld + idx % c];
            s += v * v;
        }
        s = mp_warp_sum(s);
    }
    return s;
}

// What an estimator's finish step sees. G*, C, L*, W point into the block's scratch (ld = rmax).
struct MpPair {
    int m, rx, ry, rmax;
    double eps;
    const double* Gx;
    const double* Gy;
    const double* C;
    double* Lx;
    const double* Ly;  // Cholesky of G_y + c I (prepared once in trajectory mode)
    double* W;
    bool y_prepared;
};

// Block-wide: Z = Lx^-1 C Ly^-T into W, returns ||Z||_F^2 in thread 0 (the nhsic value).
__device__ double mp_whitened_sumsq(const MpPair& P) {
    const int tid = threadIdx.x, T = blockDim.x, ld = P.rmax;
    // columns of C: forward substitution with Lx
    for (int b = tid; b < P.ry; b += T) {
        for (int a = 0; a < P.rx; ++a) {
            double v = P.C[(size_t)a * ld + b];
            for (int q = 0; q < a; ++q) v -= P.Lx[(size_t)a * ld + q] * P.W[(size_t)q * ld + b];
            P.W[(size_t)a * ld + b] = v / P.Lx[(size_t)a * ld + a];
        }
    }
    __syncthreads();
    // rows of W: W Ly^T = Z  <=>  Ly W^T = Z^T
    for (int a = tid; a < P.rx; a += T) {
        double* row = P.W + (size_t)a * ld;
        for (int b = 0; b < P.ry; ++b) {
            double v = row[b];
            for (int q = 0; q < b; ++q) v -= P.Ly[(size_t)b * ld + q] * row[q];
            row[b] = v / P.Ly[(size_t)b * ld + b];
        }
    }
    __syncthreads();
    return mp_sumsq(P.W, P.rx, P.ry, ld);
}

// Whether the warp path below has room: Lx, W and Ly with leading dimension r in sm.part.
__device__ __forceinline__ bool mp_small_fits(int rx, int ry, int rmax) {
    return rx * rx + rx * ry + ry * ry <= 32 * (rmax > 16 ? rmax : 16);
}

// In-place Cholesky of the n x n lower triangle of L (ld n, shared memory) by one warp.
__device__ __forceinline__ void mp_warp_cholesky(double* L, int n, int lane) {
    for (int k = 0; k < n; ++k) {
        const double lkk = sqrt(L[k * n + k]);
        __syncwarp();
        if (lane == 0) L[k * n + k] = lkk;
        for (int i = k + 1 + lane; i < n; i += 32) L[i * n + k] /= lkk;
        __syncwarp();
        const int t = n - k - 1;
        for (int idx = lane; idx < t * t; idx += 32) {
            const int i = k + 1 + idx / t, j = k + 1 + idx % t;
            if (j <= i) L[i * n + j] -= L[i * n + k] * L[j * n + k];
        }
        __syncwarp();
    }
}

// nhsic's value ||Lx^-1 C Ly^-T||_F^2 (Lx Lx^T = Gx + cI, Ly Ly^T = Gy + cI, or Ly prepared) by warp 0 alone, on
// copies in sm.part: no block barrier and no round trips to the global scratch for the r x r stage, which the block
// version (mp_cholesky + mp_whitened_sumsq, ~34k cycles at r = 11 on an H200) pays per step. Same operations in the
// same order per entry as the block version. Valid in thread 0; the caller synchronises afterwards.
__device__ double mp_whitened_sumsq_warp(const MpSmem& sm, const double* Gx, const double* Gy, const double* LyPrep,
                                         const double* C, int rx, int ry, int ld, double c) {
    const int lane = threadIdx.x & 31;
    if (threadIdx.x >= 32) return 0.0;
    double* Lx = sm.part;               // [rx * rx]
    double* W = Lx + rx * rx;           // [rx * ry]
    double* Ly = W + rx * ry;           // [ry * ry]
    for (int idx = lane; idx < rx * rx; idx += 32) {
        const int i = idx / rx, j = idx % rx;
        Lx[idx] = j <= i ? Gx[(size_t)i * ld + j] + (i == j ? c : 0.0) : 0.0;
    }
    for (int idx = lane; idx < rx * ry; idx += 32) W[idx] = C[(size_t)(idx / ry) * ld + idx % ry];
    for (int idx = lane; idx < ry * ry; idx += 32) {
        const int i = idx / ry, j = idx % ry;
        Ly[idx] = LyPrep ? (j <= i ? LyPrep[(size_t)i * ld + j] : 0.0) : (j <= i ? Gy[(size_t)i * ld + j] + (i == j ? c : 0.0) : 0.0);
    }
    __syncwarp();
    mp_warp_cholesky(Lx, rx, lane);
    if (!LyPrep) mp_warp_cholesky(Ly, ry, lane);
    // columns of C: forward substitution with Lx
    for (int b = lane; b < ry; b += 32)
        for (int a = 0; a < rx; ++a) {
            double v = W[a * ry + b];
            for (int q = 0; q < a; ++q) v -= Lx[a * rx + q] * W[q * ry + b];
            W[a * ry + b] = v / Lx[a * rx + a];
        }
    __syncwarp();
    // rows of W: W Ly^T = Z
    for (int a = lane; a < rx; a += 32) {
        double* row = W + a * ry;
        for (int b = 0; b < ry; ++b) {
            double v = row[b];
            for (int q = 0; q < b; ++q) v -= Ly[b * ry + q] * row[q];
            row[b] = v / Ly[b * ry + b];
        }
    }
    __syncwarp();
    double s = 0.0;
    for (int idx = lane; idx < rx * ry; idx += 32) s += W[idx] * W[idx];
    return mp_warp_sum(s);
}

// The phases of the shipped kernels, as mp_lowrank calls them: factor y, factor x (each leaves centred columns and
// G = B^T B), C = Bx^T By, and whether nhsic's r x r stage may run in one warp. A variant in kernels/dev/ passes
// another struct with the same members.
struct MpPhases {
    static constexpr bool kWarpSmallStage = true;
    template <int E>
    static __device__ int factor_y(const MpSmem& sm, int m, double s, double tol, int rmax, const MpCols& Y, double* G) {
        return mp_factor<E>(sm, m, s, tol, rmax, Y, G);
    }
    template <int E>
    static __device__ int factor_x(const MpSmem& sm, int m, double s, double tol, int rmax, const MpCols& X, double* G) {
        return mp_factor<E>(sm, m, s, tol, rmax, X, G);
    }
    static __device__ void cross(const MpSmem& sm, int m, const MpCols& X, int rx, const MpCols& Y, int ry, double* C,
                                 int rmax) {
        mp_cross(sm, m, X, rx, Y, ry, C, rmax);
    }
};

// The generic low-rank kernel body. Fin provides:
//   static constexpr bool kNeedsCholesky;                 // factor G + cI (nhsic)
//   static __device__ double finish(const MpPair&);       // block-wide; value valid in thread 0
// and may declare static constexpr bool kWhitenedSumsq = true when finish is mp_whitened_sumsq (nhsic): the r x r
// stage then runs in one warp (mp_whitened_sumsq_warp) when it fits in shared memory.
template <typename F, typename = void>
struct MpWhitened {
    static constexpr bool value = false;
};
template <typename F>
struct MpWhitened<F, decltype((void)F::kWhitenedSumsq, void())> {
    static constexpr bool value = F::kWhitenedSumsq;
};

template <typename TIn, typename Fin, int E, typename Ph = MpPhases>
__device__ void mp_lowrank(const MipeaksArgs& a) {
    MP_DYNAMIC_SMEM(mp_smem_raw);
    const int m = (int)a.m, rmax = (int)a.rmax, tid = threadIdx.x;
    if (m > E * (int)blockDim.x) return;  // the host never launches this (see README)
    const MpSmem sm = mp_carve(mp_smem_raw, m, rmax);
    const int64_t per = mipeaks_scratch_doubles(a.m, a.rmax);
    double* scr = a.scratch + (size_t)blockIdx.x * per;
    double* gxc = scr;
    double* gyc = scr + (size_t)rmax * m;
    double* Gx = scr + (size_t)2 * rmax * m;
    double* Gy = Gx + (size_t)rmax * rmax;
    double* C = Gy + (size_t)rmax * rmax;
    double* Lx = C + (size_t)rmax * rmax;
    double* Ly = Lx + (size_t)rmax * rmax;
    double* W = Ly + (size_t)rmax * rmax;
    const int S = (int)a.smem_cols;
    const double c = a.eps * (double)m;
    const TIn* xin = (const TIn*)a.x;
    const TIn* yin = (const TIn*)a.y;

    if (a.flags & MIPEAKS_FLAG_WRITE_Y_FACTOR) {
        // y rows 0..n-1 (stride ldy) into factor slots 0..n-1, one block per row; ldy == 0 (plain trajectory mode):
        // row 0 into slot 0, whatever n
        const int64_t rows = a.ldy == 0 ? 1 : a.n;
        for (int64_t g = blockIdx.x; g < rows; g += gridDim.x) {
            __syncthreads();  // sm is reused
            if (mp_load_row(sm.xs, yin + g * a.ldy, m)) {
                if (tid == 0) a.y_rank[g] = -2;
                continue;
            }
            const MpCols Y{sm.cols, S, gyc, m};
            const double sy = a.sigma_y ? a.sigma_y[g] : a.sigma;
            double* yG = a.yG + (size_t)g * rmax * rmax;
            const int ry = Ph::template factor_y<E>(sm, m, sy, a.tol_trace, rmax, Y, yG);
            if (ry > 0) {
                double* yB = a.yB + (size_t)g * rmax * m;
                for (int j = 0; j < ry; ++j) {
                    const double* src = Y.col(j);
                    for (int i = tid; i < m; i += blockDim.x) yB[(size_t)j * m + i] = src[i];
                }
                __syncthreads();
                mp_cholesky(yG, a.yL + (size_t)g * rmax * rmax, ry, rmax, c);
            }
            if (tid == 0) a.y_rank[g] = ry;
        }
        return;
    }

    const bool yprep = (a.flags & MIPEAKS_FLAG_Y_FACTORED) != 0;
    const int Sy = yprep ? 0 : S / 2;
    const int Sx = S - Sy;
    const MpCols X{sm.cols, Sx, gxc, m};

    for (int64_t pr = blockIdx.x; pr < a.n; pr += gridDim.x) {
        MP_PROF_DECL;
        // the y factor slot of this pair (grouped trajectories: y_group; else slot 0)
        const size_t g = yprep && a.y_group ? (size_t)a.y_group[pr] : 0;
        const MpCols Y = yprep ? MpCols{nullptr, 0, a.yB + g * rmax * m, m} : MpCols{sm.cols + (size_t)Sx * m, Sy, gyc, m};
        const double* GyUse = yprep ? a.yG + g * rmax * rmax : Gy;
        const double* LyUse = yprep ? a.yL + g * rmax * rmax : Ly;
        int ry;
        bool bad = false;
        if (yprep) {
            ry = a.y_rank[g];
        } else {
            __syncthreads();  // sm.xs is reused
            bad = mp_load_row(sm.xs, yin + (a.ldy == 0 ? 0 : pr * a.ldy), m) != 0;
            const double sy = a.sigma_y ? a.sigma_y[a.ldy == 0 ? 0 : pr] : a.sigma;
            ry = bad ? -1 : Ph::template factor_y<E>(sm, m, sy, a.tol_trace, rmax, Y, Gy);
        }
        MP_PROF_MARK(MP_PROF_FACTOR_Y);
        int rx = -1;
        if (ry > 0) {
            __syncthreads();
            bad = mp_load_row(sm.xs, xin + pr * a.ldx, m) != 0;
            MP_PROF_MARK(MP_PROF_LOAD_X);
            const double sx = a.sigma_x ? a.sigma_x[pr] : a.sigma;
            rx = bad ? -1 : Ph::template factor_x<E>(sm, m, sx, a.tol_trace, rmax, X, Gx);
        }
        MP_PROF_MARK(MP_PROF_FACTOR_X);
        if (rx < 0 || ry < 0) {
            if (tid == 0) {
                a.value[pr] = 0.0;
                a.rank_x[pr] = rx;
                a.rank_y[pr] = ry;
                a.status[pr] = bad ? MIPEAKS_NONFINITE : MIPEAKS_RANK_OVERFLOW;
            }
            continue;
        }
        Ph::cross(sm, m, X, rx, Y, ry, C, rmax);
        MP_PROF_MARK(MP_PROF_CROSS);
        double v;
        if (Ph::kWarpSmallStage && MpWhitened<Fin>::value && mp_small_fits(rx, ry, rmax)) {
            __syncthreads();  // C complete (mp_cross ends with a barrier; kept for any other cross)
            v = mp_whitened_sumsq_warp(sm, Gx, GyUse, yprep ? LyUse : nullptr, C, rx, ry, rmax, c);
            MP_PROF_MARK(MP_PROF_CHOL);
        } else {
            if (Fin::kNeedsCholesky) {
                mp_cholesky(Gx, Lx, rx, rmax, c);
                if (!yprep) mp_cholesky(Gy, Ly, ry, rmax, c);
            }
            MP_PROF_MARK(MP_PROF_CHOL);
            const MpPair P{m, rx, ry, rmax, a.eps, Gx, GyUse, C, Lx, LyUse, W, yprep};
            v = Fin::finish(P);
        }
        if (tid == 0) {
            a.value[pr] = v;
            a.rank_x[pr] = rx;
            a.rank_y[pr] = ry;
            a.status[pr] = MIPEAKS_OK;
        }
        __syncthreads();
        MP_PROF_MARK(MP_PROF_FINISH);
    }
}

// Declares the entry points of a low-rank estimator: MP_LOWRANK_ENTRIES(nhsic, MpNhsic) gives mipeaks_nhsic_f32 and
// mipeaks_nhsic_bf16 (m <= 8 * blockDim.x) and mipeaks_nhsic_f32_x16, mipeaks_nhsic_bf16_x16 (m <= 16 * blockDim.x).
// MP_LOWRANK_ENTRIES_WITH(name, Fin, Phases) does the same with the phases of a kernels/dev/ variant.
#define MP_LOWRANK_ENTRY(name, suffix, TIn, Fin, E, Ph)                                                \
    extern "C" __global__ void __launch_bounds__(MP_MAX_THREADS, 1) mipeaks_##name##suffix(MipeaksArgs a) { \
        mp_lowrank<TIn, Fin, E, Ph>(a);                                                              \
    }
#define MP_LOWRANK_ENTRIES_WITH(name, Fin, Ph)                           \
    MP_LOWRANK_ENTRY(name, _f32, float, Fin, MP_EMAX, Ph)                \
    MP_LOWRANK_ENTRY(name, _bf16, mp_bf16, Fin, MP_EMAX, Ph)             \
    MP_LOWRANK_ENTRY(name, _f32_x16, float, Fin, MP_EMAX_WIDE, Ph)       \
    MP_LOWRANK_ENTRY(name, _bf16_x16, mp_bf16, Fin, MP_EMAX_WIDE, Ph)
#define MP_LOWRANK_ENTRIES(name, Fin) MP_LOWRANK_ENTRIES_WITH(name, Fin, MpPhases)
