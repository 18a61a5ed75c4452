// mipeaks kernel ABI: every estimator entry point is
//
//     extern "C" __global__ void mipeaks_<estimator>_<dtype>(MipeaksArgs args)
//
// with <dtype> in {f32, bf16} naming the element type of x and y. The struct is passed by value; every field is
// 8 bytes wide (no padding), so hosts (Java: dev.mipeaks.gpu.KernelArgs, C++: native/) write it field by field
// in this order. Pair i is row i of x against row i of y, or against row 0 of y when ldy == 0 (trajectory mode).
// See kernels/README.md for the launch contract (grid, block, dynamic shared memory, scratch).
#pragma once
#include <stdint.h>

#define MIPEAKS_ABI_VERSION 2  // 2: y_group (grouped trajectories)

// The ABI version as a symbol in every module's PTX (".global .u32 mipeaks_abi_version = 2"): the host launches
// grouped trajectories (y_group, ABI 2) only on modules that declare >= 2; a module built against ABI 1 would read
// factor slot 0 for every pair.
extern "C" __device__ const int mipeaks_abi_version = MIPEAKS_ABI_VERSION;

// args.flags
#define MIPEAKS_FLAG_Y_FACTORED 1LL      // y comes as a prepared factor (yB, yG, yL, y_rank): trajectory mode
#define MIPEAKS_FLAG_WRITE_Y_FACTOR 2LL  // factor rows 0..n-1 of y (stride ldy) into factor slots 0..n-1 of
                                         // (yB, yG, yL, y_rank) and do nothing else (ldy == 0: row 0 into slot 0)

// out status[i]
#define MIPEAKS_OK 0
#define MIPEAKS_RANK_OVERFLOW 1          // a factor needed more than rmax columns: the host recomputes this pair
#define MIPEAKS_NONFINITE 2              // x or y of this pair holds NaN/Inf: the host reports the row (no value)

typedef struct MipeaksArgs {
    const void* x;          // [n, ldx] elements (f32 or bf16, by entry point)
    const void* y;          // [n, ldy] elements, or one row when ldy == 0
    int64_t n;              // number of pairs
    int64_t m;              // vector length (samples per vector), >= 2
    int64_t ldx;            // row stride of x in elements
    int64_t ldy;            // row stride of y in elements; 0 = row 0 for every pair
    const double* sigma_x;  // [n] per-row kernel width of x, or null: use sigma
    const double* sigma_y;  // [n] per-row kernel width of y (row 0 when ldy == 0), or null: use sigma
    double sigma;           // fixed Gaussian kernel width
    double eps;             // ridge: c = eps * m
    double tol_trace;       // pivoted Cholesky stops when the residual trace <= tol_trace
    int64_t rmax;           // most factor columns per side; more -> MIPEAKS_RANK_OVERFLOW
    int64_t smem_cols;      // factor columns kept in dynamic shared memory (both sides together)
    double* scratch;        // [gridDim.x * mipeaks_scratch_doubles(m, rmax)] global work space
    double* value;          // [n] out
    int32_t* rank_x;        // [n] out
    int32_t* rank_y;        // [n] out
    int32_t* status;        // [n] out: MIPEAKS_OK or MIPEAKS_RANK_OVERFLOW
    double* yB;             // [slots, rmax, m] centred factor of y (slot g, column j at yB + (g*rmax + j)*m)
    double* yG;             // [slots, rmax, rmax] B^T B of y (row-major, leading dimension rmax)
    double* yL;             // [slots, rmax, rmax] Cholesky factor of B^T B + c I of y (lower, row-major)
    int32_t* y_rank;        // [slots] rank of the y factor (-1 rank overflow, -2 y not finite); slots = 1 unless
                            // grouped
    int64_t flags;          // MIPEAKS_FLAG_*
    double param0;          // estimator-specific (unused by the built-in estimators)
    const int32_t* y_group; // [n] grouped trajectories, or null: pair i is x row i against y row y_group[i] (row
                            // stride ldy; with MIPEAKS_FLAG_Y_FACTORED, against factor slot y_group[i]); several
                            // trajectories, each with its own y, in one launch
} MipeaksArgs;

// Global scratch per block, in doubles: two factors of rmax columns, and the small matrices Gx, Gy, C, Lx, Ly, W.
static inline __host__ __device__ int64_t mipeaks_scratch_doubles(int64_t m, int64_t rmax) {
    return 2 * rmax * m + 6 * rmax * rmax;
}

