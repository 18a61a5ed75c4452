// hsic: the biased HSIC of the paper's code, mean(Kx H * (Ky H)^T) = trace(Kx H Ky H) / m^2, Gaussian kernel.
// With centred factors Bx, By: trace(Kx H Ky H) = ||Bx^T By||_F^2, so hsic = ||C||_F^2 / m^2.
// Entry points: mipeaks_hsic_f32, mipeaks_hsic_bf16.
#include "lowrank.cuh"

struct MpHsic {
    static constexpr bool kNeedsCholesky = false;
    static __device__ double finish(const MpPair& P) {
        const double s = mp_sumsq(P.C, P.rx, P.ry, P.rmax);
        return s / ((double)P.m * (double)P.m);
    }
};

MP_LOWRANK_ENTRIES(hsic, MpHsic)
