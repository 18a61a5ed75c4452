// mipeaks_check: runs every mipeaks estimator kernel on generated hidden-state-like inputs, checks it against a
// float64 CPU reference written here, and benchmarks the fast nhsic path. The binary to point ncu/nsys at.
//
//   inputs: rows of m entries ~ N(0, 1) plus a few entries of magnitude 100..700 (like LLM hidden states);
//           y = 0.6 x + 0.8 noise (row-paired mode) or one shared y row (trajectory mode)
//   check:  each estimator, f32 and bf16 inputs, row-paired and trajectory mode, several block sizes;
//           pass when |gpu - ref| <= atol + rtol |ref|; prints the first mismatches
//   bench:  m = 4096, sigma 50, bf16, 10k and 100k pairs, both modes: pairs/s and achieved input bandwidth
//   dense:  the paper's dense float32 computation (K, K H, (K H + c I)^-1 by Gauss-Jordan, R = K H inv) for
//           the speed-up ratio when PyTorch is not available
//
// Build: cmake -S . -B build && cmake --build build   (or: nvcc -O3 -std=c++17 -arch=sm_90 -I kernels
//        native/mipeaks_check.cu -o mipeaks_check)
// Run:   ./mipeaks_check [--check] [--quick] [--bench [--threads 256,512] [--smem-cols 99,2,0]] [--wide] [--dense]
//        (--wide: the _x16 entry points, 16 entries per thread, everywhere; -DMP_PROFILE: per-phase cycles;
//        a kernels/dev/ variant in place of the shipped nhsic: -DMP_NHSIC_CU='"../kernels/dev/nhsic_NN_....cu"')
//        nsys profile ./mipeaks_check --bench ; ncu --launch-count 1 -k regex:mipeaks_nhsic ./mipeaks_check --quick
#include <cuda_runtime.h>
#include <nvtx3/nvToolsExt.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../kernels/cka_linear.cu"
#include "../kernels/cka_rbf.cu"
#include "../kernels/hsic.cu"
#ifndef MP_NHSIC_CU
#define MP_NHSIC_CU "../kernels/nhsic.cu"  // or a numbered variant of kernels/dev/
#endif
#include MP_NHSIC_CU

#define CK(call)                                                                                   \
    do {                                                                                           \
        cudaError_t e_ = (call);                                                                   \
        if (e_ != cudaSuccess) {                                                                   \
            fprintf(stderr, "CUDA error %s at %s:%d: %s\n", cudaGetErrorName(e_), __FILE__, __LINE__, \
                    cudaGetErrorString(e_));                                                       \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

typedef void (*Kernel)(MipeaksArgs);

#include "reference.h"

// --wide: the low-rank estimators through their _x16 entry points (16 entries per thread) even where the plain
// ones (MP_EMAX = 8) would do; otherwise _x16 is taken only when m > MP_EMAX * blockDim.x, as the Java host does.
static bool g_wide = false;

// The build's nhsic variant (a kernels/dev/ file, or the shipped kernels), one word on every benchmark line:
// device-check.sh tabulates the builds side by side from these lines.
#ifndef MP_VARIANT_NAME
#define MP_VARIANT_NAME "shipped"
#endif
#ifdef MP_PROFILE
#define MP_VARIANT_P "+profile"
#else
#define MP_VARIANT_P ""
#endif
static const char* kVariant = "variant=" MP_VARIANT_NAME MP_VARIANT_P;

static Kernel kernel_for(int est, bool bf, bool wide) {
    switch (est) {
        case NHSIC: return wide ? (bf ? mipeaks_nhsic_bf16_x16 : mipeaks_nhsic_f32_x16) : (bf ? mipeaks_nhsic_bf16 : mipeaks_nhsic_f32);
        case HSIC: return wide ? (bf ? mipeaks_hsic_bf16_x16 : mipeaks_hsic_f32_x16) : (bf ? mipeaks_hsic_bf16 : mipeaks_hsic_f32);
        case CKA_RBF: return wide ? (bf ? mipeaks_cka_rbf_bf16_x16 : mipeaks_cka_rbf_f32_x16) : (bf ? mipeaks_cka_rbf_bf16 : mipeaks_cka_rbf_f32);
        default: return bf ? mipeaks_cka_linear_bf16 : mipeaks_cka_linear_f32;
    }
}

// Entries per thread of the kernel taken for (m, T), or 0 when no entry point can take m at T threads.
static int entries_for(int m, int T) {
    if (!g_wide && m <= MP_EMAX * T) return MP_EMAX;
    return m <= MP_EMAX_WIDE * T ? MP_EMAX_WIDE : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Launching (mirrors dev.mipeaks.gpu.LaunchPlan)

struct Dev {
    int sms, optin;
};

static Dev dev_info() {
    int d;
    CK(cudaGetDevice(&d));
    Dev r;
    CK(cudaDeviceGetAttribute(&r.sms, cudaDevAttrMultiProcessorCount, d));
    CK(cudaDeviceGetAttribute(&r.optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, d));
    return r;
}

struct Plan {
    int threads, grid, smem_cols;
    size_t smem;
};

static std::vector<int64_t> g_bench_sizes = {10000, 100000};  // --bench-n
static int g_max_smem_cols = 1 << 30;  // --smem-cols: cap on factor columns in shared memory (benchmark knob)

static Plan plan(Kernel k, const Dev& dv, int64_t n, int m, int rmax, int threads, bool yprep, bool lowrank) {
    Plan p;
    p.threads = threads;
    if (!lowrank) {
        p.smem = 0;
        p.smem_cols = 0;
    } else {
        const int64_t fixed = mp_smem_fixed_bytes(m, rmax);
        int64_t cols = (dv.optin - fixed - 1024) / (8LL * m);
        const int64_t want = yprep ? rmax : 2LL * rmax;
        cols = std::max<int64_t>(0, std::min(std::min(cols, want), (int64_t)g_max_smem_cols));
        p.smem_cols = (int)cols;
        p.smem = (size_t)(fixed + 8LL * cols * m);
        CK(cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)p.smem));
    }
    int per_sm = 0;
    CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, k, threads, p.smem));
    p.grid = (int)std::max<int64_t>(1, std::min<int64_t>(n, (int64_t)std::max(per_sm, 1) * dv.sms));
    return p;
}

struct DevBuf {
    void* p = nullptr;
    explicit DevBuf(size_t bytes) { CK(cudaMalloc(&p, std::max<size_t>(bytes, 8))); }
    ~DevBuf() { cudaFree(p); }
    DevBuf(const DevBuf&) = delete;
    DevBuf& operator=(const DevBuf&) = delete;
    template <typename T> T* as() const { return (T*)p; }
};

struct Outputs {
    std::vector<double> v;
    std::vector<int> rx, ry, st;
};

// Runs kernel k on device inputs dx, dy (n rows, one y row when traj) and returns outputs; elapsed ms in *ms.
static Outputs run(Kernel k, bool lowrank, const void* dx, const void* dy, int64_t n, int m, bool traj, double sigma,
                   const double* dsx, const double* dsy, int threads, const Dev& dv, float* ms, int reps = 1) {
    const int rmax = 64;
    const double eps = 1e-5, tol = 1e-10 * eps * m;
    DevBuf value(8 * n), rx(4 * n), ry(4 * n), st(4 * n);
    DevBuf yB(8ULL * rmax * m), yG(8ULL * rmax * rmax), yL(8ULL * rmax * rmax), yr(4);
    MipeaksArgs a;
    memset(&a, 0, sizeof a);
    a.x = dx; a.y = dy; a.n = n; a.m = m; a.ldx = m; a.ldy = traj ? 0 : m;
    a.sigma_x = dsx; a.sigma_y = dsy; a.sigma = sigma; a.eps = eps; a.tol_trace = tol; a.rmax = rmax;
    a.value = value.as<double>(); a.rank_x = rx.as<int>(); a.rank_y = ry.as<int>(); a.status = st.as<int>();
    a.yB = yB.as<double>(); a.yG = yG.as<double>(); a.yL = yL.as<double>(); a.y_rank = yr.as<int>();
    const bool yprep = traj && lowrank;
    Plan p = plan(k, dv, n, m, rmax, threads, yprep, lowrank);
    DevBuf scratch(lowrank ? 8ULL * p.grid * mipeaks_scratch_doubles(m, rmax) : 8);
    a.scratch = scratch.as<double>();
    a.smem_cols = p.smem_cols;
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    CK(cudaEventRecord(e0));
    for (int r = 0; r < reps; ++r) {
        if (yprep) {
            MipeaksArgs f = a;
            f.flags = MIPEAKS_FLAG_WRITE_Y_FACTOR;
            Plan pf = plan(k, dv, 1, m, rmax, threads, false, true);
            f.smem_cols = pf.smem_cols;
            k<<<1, threads, pf.smem>>>(f);
            a.flags = MIPEAKS_FLAG_Y_FACTORED;
        }
        k<<<p.grid, p.threads, p.smem>>>(a);
    }
    CK(cudaGetLastError());
    CK(cudaEventRecord(e1));
    CK(cudaEventSynchronize(e1));
    if (ms) CK(cudaEventElapsedTime(ms, e0, e1));
    Outputs o;
    o.v.resize(n); o.rx.resize(n); o.ry.resize(n); o.st.resize(n);
    CK(cudaMemcpy(o.v.data(), a.value, 8 * n, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(o.rx.data(), a.rank_x, 4 * n, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(o.ry.data(), a.rank_y, 4 * n, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(o.st.data(), a.status, 4 * n, cudaMemcpyDeviceToHost));
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
    return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Check

static int check_all(const Dev& dv, bool quick) {
    nvtxRangePushA("check");
    const double rtol = 1e-8, atol = 1e-13;
    int failures = 0;
    const int ms_[] = {64, 512, 4096};
    for (int m : ms_) {
        const int n = quick ? 4 : (m == 4096 ? 12 : 24);
        std::vector<float> xf, yf;
        make_rows(xf, n, m, 1000 + m, 5, nullptr);
        make_rows(yf, n, m, 2000 + m, 0, &xf);
        for (int r = 0; r < n; r += 6) std::fill(yf.begin() + (size_t)r * m, yf.begin() + (size_t)(r + 1) * m, 0.0f);  // constant rows
        for (int bf = 0; bf < 2; ++bf) {
            // the reference reads exactly what the kernel reads
            std::vector<uint16_t> xb(xf.size()), yb(yf.size());
            std::vector<double> xd(xf.size()), yd(yf.size());
            for (size_t i = 0; i < xf.size(); ++i) { xb[i] = to_bf16(xf[i]); xd[i] = bf ? from_bf16(xb[i]) : xf[i]; }
            for (size_t i = 0; i < yf.size(); ++i) { yb[i] = to_bf16(yf[i]); yd[i] = bf ? from_bf16(yb[i]) : yf[i]; }
            const size_t es = bf ? 2 : 4;
            DevBuf dx(xf.size() * es), dy(yf.size() * es);
            CK(cudaMemcpy(dx.p, bf ? (void*)xb.data() : (void*)xf.data(), xf.size() * es, cudaMemcpyHostToDevice));
            CK(cudaMemcpy(dy.p, bf ? (void*)yb.data() : (void*)yf.data(), yf.size() * es, cudaMemcpyHostToDevice));
            // per-row kernel widths for cka-rbf (s = sqrt of the median nonzero squared distance)
            std::vector<double> sx(n), sy(n);
            for (int r = 0; r < n; ++r) {
                std::vector<double> a(xd.begin() + (size_t)r * m, xd.begin() + (size_t)(r + 1) * m);
                std::vector<double> b(yd.begin() + (size_t)r * m, yd.begin() + (size_t)(r + 1) * m);
                sx[r] = std::sqrt(median_nonzero_sq(a));
                sy[r] = std::sqrt(median_nonzero_sq(b));
                if (!(sy[r] > 0)) sy[r] = 1.0;  // constant row: any width gives a zero centred factor
            }
            DevBuf dsx(8 * n), dsy(8 * n);
            CK(cudaMemcpy(dsx.p, sx.data(), 8 * n, cudaMemcpyHostToDevice));
            CK(cudaMemcpy(dsy.p, sy.data(), 8 * n, cudaMemcpyHostToDevice));
            for (int est = 0; est < 4; ++est) {
                const bool lowrank = est != CKA_LINEAR;
                for (int traj = 0; traj < 2; ++traj) {
                    // trajectory mode: y row 1 (not constant) for every pair
                    const void* ydev = traj ? (const void*)((const char*)dy.p + (size_t)m * es) : dy.p;
                    const double* dsyp = est == CKA_RBF ? dsy.as<double>() + (traj ? 1 : 0) : nullptr;
                    std::vector<RefOut> ref(n);
                    for (int r = 0; r < n; ++r) {
                        const int yr = traj ? 1 : r;
                        std::vector<double> a(xd.begin() + (size_t)r * m, xd.begin() + (size_t)(r + 1) * m);
                        std::vector<double> b(yd.begin() + (size_t)yr * m, yd.begin() + (size_t)(yr + 1) * m);
                        const double s1 = est == CKA_RBF ? sx[r] : 50.0, s2 = est == CKA_RBF ? sy[yr] : 50.0;
                        ref[r] = reference((Est)est, a, b, s1, s2, 1e-5, 1e-10 * 1e-5 * m, 64);
                    }
                    const int blocks[] = {32, 128, 256, 512};
                    for (int T : blocks) {
                        if (lowrank && entries_for(m, T) == 0) continue;
                        if (quick && T != 256) continue;
                        const Kernel k = kernel_for(est, bf, lowrank && entries_for(m, T) == MP_EMAX_WIDE);
                        float ms;
                        Outputs o = run(k, lowrank, dx.p, ydev, n, m, traj, 50.0, est == CKA_RBF ? dsx.as<double>() : nullptr,
                                        dsyp, T, dv, &ms);
                        int bad = 0;
                        double worst = 0;
                        for (int r = 0; r < n; ++r) {
                            const double want = ref[r].v, got = o.v[r];
                            if (o.st[r] != MIPEAKS_OK) {
                                if (ref[r].rx >= 0 && ref[r].ry >= 0) {
                                    if (bad++ < 3) printf("  MISMATCH %s %s m=%d T=%d %s row %d: status %d, reference ranks %d/%d\n",
                                                          kEstName[est], bf ? "bf16" : "f32", m, T, traj ? "traj" : "paired", r, o.st[r], ref[r].rx, ref[r].ry);
                                }
                                continue;
                            }
                            const double err = std::fabs(got - want);
                            worst = std::max(worst, err / std::max(std::fabs(want), 1e-300));
                            if (!(err <= atol + rtol * std::fabs(want))) {
                                if (bad++ < 3)
                                    printf("  MISMATCH %s %s m=%d T=%d %s row %d: gpu %.17g ref %.17g (rel %.3g) ranks gpu %d/%d ref %d/%d\n",
                                           kEstName[est], bf ? "bf16" : "f32", m, T, traj ? "traj" : "paired", r, got, want,
                                           err / std::fabs(want), o.rx[r], o.ry[r], ref[r].rx, ref[r].ry);
                            }
                        }
                        printf("%-4s %-10s %-4s m=%-5d T=%-4d E=%-2d %-6s n=%-3d max rel err %.3g\n", bad ? "FAIL" : "ok", kEstName[est],
                               bf ? "bf16" : "f32", m, T, lowrank ? entries_for(m, T) : 0, traj ? "traj" : "paired", n, worst);
                        failures += bad;
                    }
                }
            }
        }
    }
    // the low-rank reference against the dense definition (small m)
    {
        std::vector<float> xf, yf;
        make_rows(xf, 2, 128, 77, 3, nullptr);
        make_rows(yf, 2, 128, 78, 0, &xf);
        for (int r = 0; r < 2; ++r) {
            std::vector<double> a(xf.begin() + r * 128, xf.begin() + (r + 1) * 128), b(yf.begin() + r * 128, yf.begin() + (r + 1) * 128);
            const double lr = reference(NHSIC, a, b, 50, 50, 1e-5, 1e-10 * 1e-5 * 128, 128).v;
            const double dn = dense_nhsic(a, b, 50, 1e-5);
            const bool ok = std::fabs(lr - dn) <= 1e-7 * std::fabs(dn);
            printf("%-4s low-rank reference vs dense definition m=128 row %d: %.15g vs %.15g\n", ok ? "ok" : "FAIL", r, lr, dn);
            failures += !ok;
        }
    }
    nvtxRangePop();
    printf("check: %s (%d mismatches)\n", failures ? "FAILED" : "passed", failures);
    return failures;
}

// ---------------------------------------------------------------------------------------------------------------
// Benchmark: inputs generated on the device (hash RNG) to keep host time out of it.

__device__ __forceinline__ uint32_t mp_hash(uint64_t v) {
    v ^= v >> 33; v *= 0xff51afd7ed558ccdULL; v ^= v >> 33; v *= 0xc4ceb9fe1a85ec53ULL; v ^= v >> 33;
    return (uint32_t)v;
}

__global__ void gen_rows(uint16_t* out, int64_t n, int m, uint64_t seed, int spikes) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < n * m; idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t r = idx / m;
        const int i = (int)(idx % m);
        const float u1 = (mp_hash(seed * 0x9E3779B97F4A7C15ULL + 2 * idx) + 1.0f) * 2.3283064e-10f;
        const float u2 = mp_hash(seed * 0x9E3779B97F4A7C15ULL + 2 * idx + 1) * 2.3283064e-10f;
        float v = sqrtf(-2.f * logf(u1)) * cospif(2.f * u2);
        for (int s = 0; s < spikes; ++s)
            if ((int)((uint32_t)s * 2654435761u % (uint32_t)m) == i) v = (s & 1 ? -1.f : 1.f) * (100.f + 600.f * (mp_hash(r * 131 + s) * 2.3283064e-10f));
        uint32_t b = __float_as_uint(v);
        b += 0x7fff + ((b >> 16) & 1);
        out[idx] = (uint16_t)(b >> 16);
    }
}

static void bench(const Dev& dv, const std::vector<int>& threads_list, const std::vector<int>& smem_caps) {
    nvtxRangePushA("bench");
    const int m = 4096;
    const std::vector<int64_t> sizes = g_bench_sizes;
    DevBuf dx(2ULL * 100000 * m), dy(2ULL * 100000 * m);
    gen_rows<<<1024, 256>>>(dx.as<uint16_t>(), 100000, m, 1, 6);
    gen_rows<<<1024, 256>>>(dy.as<uint16_t>(), 100000, m, 2, 6);
    CK(cudaDeviceSynchronize());
    for (int traj = 1; traj >= 0; --traj) {
        for (int64_t n : sizes) {
            for (int T : threads_list)
            for (int cap : smem_caps) {
                if (entries_for(m, T) == 0) continue;
                const Kernel k = kernel_for(NHSIC, true, entries_for(m, T) == MP_EMAX_WIDE);
                g_max_smem_cols = cap;
                float ms;
                run(k, true, dx.p, dy.p, std::min<int64_t>(n, 1000), m, traj, 50.0, nullptr, nullptr, T, dv, &ms);  // warm-up
#ifdef MP_PROFILE
                { unsigned long long z[16] = {0}; CK(cudaMemcpyToSymbol(mp_prof, z, sizeof z)); }
#endif
                nvtxRangePushA(traj ? "bench trajectory" : "bench paired");
                Outputs o = run(k, true, dx.p, dy.p, n, m, traj, 50.0, nullptr, nullptr, T, dv, &ms);
                nvtxRangePop();
                int64_t overflow = 0, rsum = 0;
                for (int64_t i = 0; i < n; ++i) { overflow += o.st[i] != 0; rsum += o.rx[i]; }
                const double s = ms / 1e3;
                const double bytes = 2.0 * m * (double)n * (traj ? 1 : 2);
                Plan pl = plan(k, dv, n, m, 64, T, traj, true);
                printf("bench nhsic bf16 m=%d sigma=50 %s E=%d %-10s n=%-6lld T=%-4d smem_cols=%-2d grid=%-4d %8.2f ms  %12.0f pairs/s  %7.1f GB/s input  mean rank_x %.1f overflow %lld\n",
                       m, kVariant, entries_for(m, T), traj ? "trajectory" : "paired", (long long)n, T, pl.smem_cols, pl.grid, ms, n / s, bytes / s / 1e9, (double)rsum / n, (long long)overflow);
#ifdef MP_PROFILE
                {
                    // cycles of thread 0 per pair, by phase (the factor's parts are summed over both factors)
                    unsigned long long pr[16];
                    CK(cudaMemcpyFromSymbol(pr, mp_prof, sizeof pr));
                    const char* names[MP_PROF_N] = {"factor_y", "load_x", "factor_x", "cross", "cholesky", "finish",
                                                    "f.argmax_reduce", "f.exp_col", "f.pass_prev_cols", "f.G_newcol", "f.centre"};
                    printf("  profile (cycles/pair, thread 0):");
                    for (int q = 0; q < MP_PROF_N; ++q) printf(" %s=%.0f", names[q], (double)pr[q] / (double)n);
                    printf("\n");
                }
#endif
                fflush(stdout);
            }
        }
    }
    g_max_smem_cols = 1 << 30;
    nvtxRangePop();
}

// ---------------------------------------------------------------------------------------------------------------
// Dense float32 path of the paper (naive CUDA): K, K H, M = K H + c I, Gauss-Jordan inverse, R = K H M^-1.

__global__ void dense_gram(const float* x, float* K, int m, float inv2s2) {
    const int i = blockIdx.y, j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < m) { const float d = x[i] - x[j]; K[(size_t)i * m + j] = expf(-d * d * inv2s2); }
}
__global__ void dense_center_rows(float* K, int m) {  // (K H)_ij = K_ij - mean_j' K_ij'
    __shared__ float red[256];
    const int i = blockIdx.x;
    float s = 0;
    for (int j = threadIdx.x; j < m; j += blockDim.x) s += K[(size_t)i * m + j];
    red[threadIdx.x] = s;
    __syncthreads();
    for (int o = blockDim.x / 2; o > 0; o >>= 1) { if (threadIdx.x < o) red[threadIdx.x] += red[threadIdx.x + o]; __syncthreads(); }
    const float mu = red[0] / m;
    for (int j = threadIdx.x; j < m; j += blockDim.x) K[(size_t)i * m + j] -= mu;
}
__global__ void dense_add_diag_identity(const float* K, float* M, float* I, int m, float c) {
    const int i = blockIdx.y, j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < m) { M[(size_t)i * m + j] = K[(size_t)i * m + j] + (i == j ? c : 0.f); I[(size_t)i * m + j] = i == j ? 1.f : 0.f; }
}
__global__ void gj_scale(float* M, float* I, const float* f, int m, int k) {  // row k /= pivot f[k] (no pivoting: timing only)
    const float piv = f[k];
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < m; j += gridDim.x * blockDim.x) {
        M[(size_t)k * m + j] /= piv;
        I[(size_t)k * m + j] /= piv;
    }
}
__global__ void gj_col(const float* M, float* f, int m, int k) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < m) f[i] = M[(size_t)i * m + k];
}
__global__ void gj_eliminate(float* M, float* I, const float* f, int m, int k) {
    const int i = blockIdx.y, j = blockIdx.x * blockDim.x + threadIdx.x;
    if (i == k || j >= m) return;
    const float fi = f[i];
    M[(size_t)i * m + j] -= fi * M[(size_t)k * m + j];
    I[(size_t)i * m + j] -= fi * I[(size_t)k * m + j];
}
__global__ void sgemm_naive(const float* A, const float* B, float* C, int m) {  // 16x16 tiles in shared memory
    __shared__ float As[16][16], Bs[16][16];
    const int r = blockIdx.y * 16 + threadIdx.y, c = blockIdx.x * 16 + threadIdx.x;
    float acc = 0;
    for (int t = 0; t < m; t += 16) {
        As[threadIdx.y][threadIdx.x] = A[(size_t)r * m + t + threadIdx.x];
        Bs[threadIdx.y][threadIdx.x] = B[(size_t)(t + threadIdx.y) * m + c];
        __syncthreads();
        for (int q = 0; q < 16; ++q) acc += As[threadIdx.y][q] * Bs[q][threadIdx.x];
        __syncthreads();
    }
    C[(size_t)r * m + c] = acc;
}
__global__ void dense_trace_prod(const float* Rx, const float* Ry, double* out, int m) {  // sum(Rx * Ry^T)
    double s = 0;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < (int64_t)m * m; idx += (int64_t)gridDim.x * blockDim.x) {
        const int i = (int)(idx / m), j = (int)(idx % m);
        s += (double)Rx[idx] * Ry[(size_t)j * m + i];
    }
    atomicAdd(out, s);
}

static void dense_R(const float* dxrow, float* K, float* M, float* I, float* f, float* R, int m, float sigma) {
    const float c = 1e-5f * m;
    dim3 g((m + 255) / 256, m);
    dense_gram<<<g, 256>>>(dxrow, K, m, 1.f / (2 * sigma * sigma));
    dense_center_rows<<<m, 256>>>(K, m);
    dense_add_diag_identity<<<g, 256>>>(K, M, I, m, c);
    for (int k = 0; k < m; ++k) {
        gj_col<<<(m + 255) / 256, 256>>>(M, f, m, k);
        // scale after reading the column so f[k] holds the original pivot; eliminate uses the scaled row k
        gj_scale<<<(m + 255) / 256, 256>>>(M, I, f, m, k);
        gj_eliminate<<<g, 256>>>(M, I, f, m, k);
    }
    sgemm_naive<<<dim3(m / 16, m / 16), dim3(16, 16)>>>(K, I, R, m);
}

static void dense_bench(int pairs) {
    nvtxRangePushA("dense float32");
    const int m = 4096;
    std::vector<float> xf, yf;
    make_rows(xf, pairs + 1, m, 5, 6, nullptr);
    make_rows(yf, pairs + 1, m, 6, 0, &xf);
    DevBuf dx(4ULL * xf.size()), dy(4ULL * yf.size());
    CK(cudaMemcpy(dx.p, xf.data(), 4ULL * xf.size(), cudaMemcpyHostToDevice));
    CK(cudaMemcpy(dy.p, yf.data(), 4ULL * yf.size(), cudaMemcpyHostToDevice));
    const size_t mm = (size_t)m * m * 4;
    DevBuf K(mm), M(mm), I(mm), f(4 * m), Rx(mm), Ry(mm), out(8);
    auto pair = [&](int r) {
        dense_R(dx.as<float>() + (size_t)r * m, K.as<float>(), M.as<float>(), I.as<float>(), f.as<float>(), Rx.as<float>(), m, 50.f);
        dense_R(dy.as<float>() + (size_t)r * m, K.as<float>(), M.as<float>(), I.as<float>(), f.as<float>(), Ry.as<float>(), m, 50.f);
        CK(cudaMemset(out.p, 0, 8));
        dense_trace_prod<<<1024, 256>>>(Rx.as<float>(), Ry.as<float>(), out.as<double>(), m);
    };
    pair(pairs);  // warm-up
    CK(cudaDeviceSynchronize());
    auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < pairs; ++r) pair(r);
    CK(cudaDeviceSynchronize());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double v;
    CK(cudaMemcpy(&v, out.p, 8, cudaMemcpyDeviceToHost));
    printf("dense float32 (naive CUDA Gauss-Jordan, no PyTorch) m=%d: %d pairs in %.3f s = %.3f pairs/s (last value %.6g)\n", m, pairs, s, pairs / s, v);
    nvtxRangePop();
}

int main(int argc, char** argv) {
    bool do_check = false, do_bench = false, do_dense = false, quick = false;
    int dense_pairs = 2;
    std::vector<int> threads = {256, 512};
    std::vector<int> smem_caps = {1 << 30};
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--check") do_check = true;
        else if (a == "--bench") do_bench = true;
        else if (a == "--dense") do_dense = true;
        else if (a == "--quick") { quick = true; do_check = true; }
        else if (a == "--wide") g_wide = true;
        else if (a == "--dense-pairs" && i + 1 < argc) dense_pairs = atoi(argv[++i]);
        else if (a == "--threads" && i + 1 < argc) {
            threads.clear();
            std::string s = argv[++i];
            for (size_t p = 0; p < s.size();) { size_t q = s.find(',', p); if (q == std::string::npos) q = s.size(); threads.push_back(atoi(s.substr(p, q - p).c_str())); p = q + 1; }
        } else if (a == "--bench-n" && i + 1 < argc) {
            g_bench_sizes.clear();
            std::string s = argv[++i];
            for (size_t p = 0; p < s.size();) { size_t q = s.find(',', p); if (q == std::string::npos) q = s.size(); g_bench_sizes.push_back(std::max<int64_t>(1, std::min<int64_t>(100000, atoll(s.substr(p, q - p).c_str())))); p = q + 1; }
        } else if (a == "--smem-cols" && i + 1 < argc) {
            smem_caps.clear();
            std::string s = argv[++i];
            for (size_t p = 0; p < s.size();) { size_t q = s.find(',', p); if (q == std::string::npos) q = s.size(); smem_caps.push_back(atoi(s.substr(p, q - p).c_str())); p = q + 1; }
        } else {
            fprintf(stderr, "usage: %s [--check] [--quick] [--bench] [--threads 256,512] [--smem-cols 99,2,0] [--bench-n 10000,100000] [--wide] [--dense] [--dense-pairs N]\n", argv[0]);
            return 2;
        }
    }
    if (!do_check && !do_bench && !do_dense) do_check = do_bench = true;
    int ndev = 0;
    cudaError_t e = cudaGetDeviceCount(&ndev);
    if (e != cudaSuccess || ndev == 0) {
        printf("no CUDA device: %s\n", e != cudaSuccess ? cudaGetErrorString(e) : "0 devices");
        return 3;
    }
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    const Dev dv = dev_info();
    printf("device: %s, sm_%d%d, %d SMs, %.1f GiB, %d KiB shared memory per block (opt-in)\n", prop.name, prop.major, prop.minor,
           dv.sms, prop.totalGlobalMem / 1073741824.0, dv.optin / 1024);
    int failures = 0;
    if (do_check) failures = check_all(dv, quick);
    if (do_bench) bench(dv, threads, smem_caps);
    if (do_dense) dense_bench(dense_pairs);
    return failures ? 1 : 0;
}
