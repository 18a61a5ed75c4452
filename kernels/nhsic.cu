// nhsic: the paper's normalized HSIC with a Gaussian kernel, computed exactly through low-rank factors.
//   nhsic(x, y) = trace(Rx Ry),  Rx = Kx H (Kx H + c I)^-1,  c = eps * m
// With Kx ~= Ax Ax^T, Bx = H Ax, Gx = Bx^T Bx + c I = Lx Lx^T and C = Bx^T By (push-through identity):
//   nhsic = || Lx^-1 C Ly^-T ||_F^2
// Entry points: mipeaks_nhsic_f32, mipeaks_nhsic_bf16 (ABI: mipeaks_abi.h, launch contract: README.md).
// Build: cmake (see CMakeLists.txt) or nvcc -ptx -arch=compute_80 nhsic.cu
#include "lowrank.cuh"

struct MpNhsic {
    static constexpr bool kNeedsCholesky = true;
    static constexpr bool kWhitenedSumsq = true;  // finish is mp_whitened_sumsq: the r x r stage may run in one warp
    static __device__ double finish(const MpPair& P) { return mp_whitened_sumsq(P); }
};

MP_LOWRANK_ENTRIES(nhsic, MpNhsic)
