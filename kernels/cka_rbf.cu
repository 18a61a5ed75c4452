// cka-rbf: RBF CKA with both-side centring, kernel exp(-d^2 / (2 s^2)), s^2 = median of the nonzero squared
// distances of each vector (computed by the host: args.sigma_x / args.sigma_y hold s per row).
//   cka = trace(H Kx H Ky) / (||H Kx H||_F ||H Ky H||_F) = ||C||_F^2 / (||Gx||_F ||Gy||_F),
// with Gx = Bx^T Bx (no ridge). 0 when a side is constant (its centred factor is 0).
// Entry points: mipeaks_cka_rbf_f32, mipeaks_cka_rbf_bf16.
#include "lowrank.cuh"

struct MpCkaRbf {
    static constexpr bool kNeedsCholesky = false;
    static __device__ double finish(const MpPair& P) {
        const double c2 = mp_sumsq(P.C, P.rx, P.ry, P.rmax);
        const double gx = mp_sumsq(P.Gx, P.rx, P.rx, P.rmax);
        const double gy = mp_sumsq(P.Gy, P.ry, P.ry, P.rmax);
        if (!(gx > 0.0) || !(gy > 0.0)) return 0.0;
        return c2 / (sqrt(gx) * sqrt(gy));
    }
};

MP_LOWRANK_ENTRIES(cka_rbf, MpCkaRbf)
