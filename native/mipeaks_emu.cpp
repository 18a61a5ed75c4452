// mipeaks_emu: the CUDA kernels of kernels/ run on the CPU (native/cuda_emu.h) against the float64 reference of
// native/reference.h: f32 and bf16 inputs, row-paired and trajectory mode (including the y-factor write launch),
// grouped trajectories (several y rows in one launch, bit-identical to one launch per group),
// several block sizes, factor columns split between shared and global memory, constant rows, rank overflow.
// It cannot measure speed; it checks the kernels' logic where there is no GPU.
// Build: g++ -O2 -std=c++20 -I kernels native/mipeaks_emu.cpp -o mipeaks_emu   Run: ./mipeaks_emu [--quick|--ci]
// (the whole run takes ~10 s: the block's threads are fibers on one OS thread, native/cuda_emu.h)
// (a kernels/dev/ variant in place of the shipped nhsic: -DMP_NHSIC_CU='"../kernels/dev/nhsic_NN_....cu"')
#include "cuda_emu.h"
// clang-format off
#include "../kernels/cka_linear.cu"
#include "../kernels/cka_rbf.cu"
#include "../kernels/hsic.cu"
#ifndef MP_NHSIC_CU
#define MP_NHSIC_CU "../kernels/nhsic.cu"
#endif
#include MP_NHSIC_CU
#ifndef MP_VARIANT_NAME
#define MP_VARIANT_NAME "shipped"
#endif
// clang-format on
#include <cstdio>
#include <string>

#include "reference.h"

typedef void (*Kernel)(MipeaksArgs);

struct Out {
    std::vector<double> v;
    std::vector<int32_t> rx, ry, st;
};

// Outputs of n pairs, every field set to a value no kernel writes.
static Out unset(int n) {
    Out o;
    o.v.assign(n, -1);
    o.rx.assign(n, -9);
    o.ry.assign(n, -9);
    o.st.assign(n, -9);
    return o;
}

// One launch sequence as the Java backend does it (trajectory: write-y launch, then the batch).
static Out run(Kernel k, bool lowrank, const void* x, const void* y, int n, int m, bool traj, const double* sx,
               const double* sy, int threads, int smem_cols, int rmax, int grid) {
    Out o = unset(n);
    std::vector<double> scratch(lowrank ? (size_t)grid * mipeaks_scratch_doubles(m, rmax) : 1, NAN);
    std::vector<double> yB((size_t)rmax * m, NAN), yG((size_t)rmax * rmax, NAN), yL((size_t)rmax * rmax, NAN);
    int32_t yr = -9;
    MipeaksArgs a;
    std::memset(&a, 0, sizeof a);
    a.x = x; a.y = y; a.n = n; a.m = m; a.ldx = m; a.ldy = traj ? 0 : m; a.sigma_x = sx; a.sigma_y = sy;
    a.sigma = 50.0; a.eps = 1e-5; a.tol_trace = 1e-10 * 1e-5 * m; a.rmax = rmax; a.smem_cols = smem_cols;
    a.scratch = scratch.data(); a.value = o.v.data(); a.rank_x = o.rx.data(); a.rank_y = o.ry.data(); a.status = o.st.data();
    a.yB = yB.data(); a.yG = yG.data(); a.yL = yL.data(); a.y_rank = &yr;
    const size_t smem = lowrank ? (size_t)(mp_smem_fixed_bytes(m, rmax) + 8LL * smem_cols * m) : 0;
    if (traj && lowrank) {
        MipeaksArgs f = a;
        f.flags = MIPEAKS_FLAG_WRITE_Y_FACTOR;
        emu_launch(k, 1, threads, smem, f);
        if (yr < 0) {  // the host falls back to the CPU for the whole batch
            for (int i = 0; i < n; ++i) o.st[i] = MIPEAKS_RANK_OVERFLOW;
            return o;
        }
        a.flags = MIPEAKS_FLAG_Y_FACTORED;
    }
    emu_launch(k, grid, threads, smem, a);
    return o;
}

// Grouped trajectories as the Java backend launches them (all captured layers of a chunk at once): one write-y
// launch factors the G y rows into G slots, one batch launch runs every pair, y_group naming its slot. Pairs are
// group 0's rows, then group 1's, ... (sizes[g] rows each).
static Out run_grouped(Kernel k, bool lowrank, const void* x, const void* y, const std::vector<int>& sizes, int m,
                       const double* sx, const double* sy, int threads, int smem_cols, int rmax, int grid, int ygrid) {
    const int G = (int)sizes.size();
    std::vector<int32_t> group;
    for (int g = 0; g < G; ++g) group.insert(group.end(), sizes[g], g);
    const int n = (int)group.size();
    Out o = unset(n);
    std::vector<double> scratch(lowrank ? (size_t)grid * mipeaks_scratch_doubles(m, rmax) : 1, NAN);
    std::vector<double> yB((size_t)G * rmax * m, NAN), yG((size_t)G * rmax * rmax, NAN), yL((size_t)G * rmax * rmax, NAN);
    std::vector<int32_t> yr(G, -9);
    MipeaksArgs a;
    std::memset(&a, 0, sizeof a);
    a.x = x; a.y = y; a.n = n; a.m = m; a.ldx = m; a.ldy = m; a.sigma_x = sx; a.sigma_y = sy;
    a.sigma = 50.0; a.eps = 1e-5; a.tol_trace = 1e-10 * 1e-5 * m; a.rmax = rmax; a.smem_cols = smem_cols;
    a.scratch = scratch.data(); a.value = o.v.data(); a.rank_x = o.rx.data(); a.rank_y = o.ry.data(); a.status = o.st.data();
    a.yB = yB.data(); a.yG = yG.data(); a.yL = yL.data(); a.y_rank = yr.data(); a.y_group = group.data();
    const size_t smem = lowrank ? (size_t)(mp_smem_fixed_bytes(m, rmax) + 8LL * smem_cols * m) : 0;
    if (lowrank) {
        MipeaksArgs f = a;
        f.flags = MIPEAKS_FLAG_WRITE_Y_FACTOR;
        f.n = G;
        f.y_group = nullptr;
        emu_launch(k, std::min(ygrid, grid), threads, smem, f);
        a.flags = MIPEAKS_FLAG_Y_FACTORED;
    }
    emu_launch(k, grid, threads, smem, a);
    return o;
}

// The grouped launch gives bit for bit what one trajectory launch per group gives (values, ranks, status), for
// several group shapes: one group, ragged groups, many groups, a group of one row, a y of too high rank.
static int check_grouped(int& checks) {
    int failures = 0;
    struct Shape {
        int m, threads, smem_cols, rmax, grid, ygrid;
        std::vector<int> sizes;
    };
    const std::vector<Shape> shapes = {{64, 32, 8, 64, 3, 3, {6}},
                                       {64, 32, 3, 64, 4, 2, {2, 5, 3}},
                                       {64, 64, 128, 64, 5, 5, {3, 1, 4, 2, 2, 5, 1, 3, 2}},
                                       {512, 64, 6, 64, 3, 2, {4, 2, 3}},
                                       {64, 32, 8, 4, 2, 2, {3, 2, 4}}};  // rmax 4: some y factors overflow
    for (const Shape& sh : shapes) {
        const int m = sh.m, G = (int)sh.sizes.size();
        int n = 0;
        for (int s : sh.sizes) n += s;
        std::vector<float> xf, yf;
        make_rows(xf, n, m, 300 + m + G, 4, nullptr);
        make_rows(yf, G, m, 400 + m + G, 3, nullptr);
        if (G > 2) std::fill(yf.begin() + (size_t)(G - 1) * m, yf.end(), 1.5f);  // a constant ground truth
        for (int bf = 0; bf < 2; ++bf) {
            std::vector<uint16_t> xb(xf.size()), yb(yf.size());
            for (size_t i = 0; i < xf.size(); ++i) xb[i] = to_bf16(xf[i]);
            for (size_t i = 0; i < yf.size(); ++i) yb[i] = to_bf16(yf[i]);
            const size_t es = bf ? 2 : 4;
            const char* xp = bf ? (const char*)xb.data() : (const char*)xf.data();
            const char* yp = bf ? (const char*)yb.data() : (const char*)yf.data();
            std::vector<double> sx(n), sy(G);
            for (int r = 0; r < n; ++r) {
                std::vector<double> v(m);
                for (int i = 0; i < m; ++i) v[i] = bf ? from_bf16(xb[(size_t)r * m + i]) : xf[(size_t)r * m + i];
                sx[r] = std::sqrt(median_nonzero_sq(v));
            }
            for (int g = 0; g < G; ++g) {
                std::vector<double> v(m);
                for (int i = 0; i < m; ++i) v[i] = bf ? from_bf16(yb[(size_t)g * m + i]) : yf[(size_t)g * m + i];
                const double s2 = median_nonzero_sq(v);
                sy[g] = s2 > 0 ? std::sqrt(s2) : 1.0;
            }
            for (int est = 0; est < 4; ++est) {
                const bool lowrank = est != CKA_LINEAR;
                const bool wide = m > MP_EMAX * sh.threads;
                Kernel k = est == NHSIC ? (wide ? (bf ? mipeaks_nhsic_bf16_x16 : mipeaks_nhsic_f32_x16) : (bf ? mipeaks_nhsic_bf16 : mipeaks_nhsic_f32))
                         : est == HSIC ? (wide ? (bf ? mipeaks_hsic_bf16_x16 : mipeaks_hsic_f32_x16) : (bf ? mipeaks_hsic_bf16 : mipeaks_hsic_f32))
                         : est == CKA_RBF ? (wide ? (bf ? mipeaks_cka_rbf_bf16_x16 : mipeaks_cka_rbf_f32_x16) : (bf ? mipeaks_cka_rbf_bf16 : mipeaks_cka_rbf_f32))
                                          : (bf ? mipeaks_cka_linear_bf16 : mipeaks_cka_linear_f32);
                const bool rbf = est == CKA_RBF;
                const Out all = run_grouped(k, lowrank, xp, yp, sh.sizes, m, rbf ? sx.data() : nullptr, rbf ? sy.data() : nullptr,
                                            sh.threads, sh.smem_cols, sh.rmax, sh.grid, sh.ygrid);
                int bad = 0, at = 0;
                for (int g = 0; g < G; ++g) {
                    const int ng = sh.sizes[g];
                    // today's call: one trajectory launch per group (a 1-row group too: the same y-factor path)
                    const Out one = run(k, lowrank, xp + (size_t)at * m * es, yp + (size_t)g * m * es, ng, m, true,
                                        rbf ? sx.data() + at : nullptr, rbf ? sy.data() + g : nullptr, sh.threads, sh.smem_cols,
                                        sh.rmax, std::min(sh.grid, ng));
                    for (int r = 0; r < ng; ++r, ++checks) {
                        const int i = at + r;
                        // run() marks every pair of a y that overflows (the host's CPU fallback); the grouped kernel does
                        // the same per pair (the host recomputes them): compare the status then
                        const bool same = one.st[r] == MIPEAKS_RANK_OVERFLOW
                                ? all.st[i] == MIPEAKS_RANK_OVERFLOW
                                : std::memcmp(&one.v[r], &all.v[i], sizeof(double)) == 0 && one.rx[r] == all.rx[i] &&
                                          one.ry[r] == all.ry[i] && one.st[r] == all.st[i];
                        if (!same && bad++ < 3)
                            printf("  MISMATCH grouped %s %s m=%d group %d row %d: grouped %.17g (%d/%d st %d) per-group %.17g (%d/%d st %d)\n",
                                   kEstName[est], bf ? "bf16" : "f32", m, g, r, all.v[i], all.rx[i], all.ry[i], all.st[i], one.v[r],
                                   one.rx[r], one.ry[r], one.st[r]);
                    }
                    at += ng;
                }
                printf("%-4s %-10s %-4s m=%-4d T=%-3d smem_cols=%-3d rmax=%-2d grid=%d grouped %d trajectories (%d pairs), bit-identical to per-group launches\n",
                       bad ? "FAIL" : "ok", kEstName[est], bf ? "bf16" : "f32", m, sh.threads, sh.smem_cols, sh.rmax, sh.grid, G, n);
                failures += bad;
            }
        }
    }
    return failures;
}

int main(int argc, char** argv) {
    // --quick: no m = 4096 case; --ci: also only the small-block configurations (what EmulatedKernelsTest runs)
    const bool ci = argc > 1 && std::string(argv[1]) == "--ci";
    const bool quick = ci || (argc > 1 && std::string(argv[1]) == "--quick");
    int failures = 0, checks = 0;
    const double rtol = 1e-9, atol = 1e-14;
    struct Cfg {
        int m, n, threads, smem_cols, rmax, grid;
        bool wide;  // the _x16 entry points (16 entries per thread) even where the plain ones (MP_EMAX) would do
    };
    // smem_cols 0 / small / large: factor columns all in global memory, split, all in shared memory; m = 512 at 32
    // threads needs the _x16 entry points (16 entries per thread), as m > 4096 does at 512 threads
    std::vector<Cfg> cfgs = {{64, 7, 32, 128, 64, 3, false}, {64, 7, 64, 3, 64, 2, true}, {64, 5, 32, 0, 64, 1, false},
                             {512, 5, 64, 6, 64, 2, false}, {512, 4, 128, 128, 64, 4, false}, {64, 4, 32, 8, 4, 2, false},
                             {512, 3, 32, 5, 64, 2, false}};
    if (!quick) cfgs.push_back({4096, 2, 512, 5, 64, 2, false});
    if (ci) cfgs = {{64, 7, 32, 128, 64, 3, false}, {64, 7, 64, 3, 64, 2, true}, {64, 5, 32, 0, 64, 1, false},
                    {64, 4, 32, 8, 4, 2, false}, {512, 3, 32, 5, 64, 2, false}};
    for (const Cfg& c : cfgs) {
        const int m = c.m, n = c.n;
        std::vector<float> xf, yf;
        make_rows(xf, n, m, 100 + m + c.threads, 4, nullptr);
        make_rows(yf, n, m, 200 + m + c.threads, 0, &xf);
        std::fill(yf.begin() + (size_t)(n - 1) * m, yf.end(), 2.5f);  // a constant row
        for (int bf = 0; bf < 2; ++bf) {
            std::vector<uint16_t> xb(xf.size()), yb(yf.size());
            std::vector<double> xd(xf.size()), yd(yf.size());
            for (size_t i = 0; i < xf.size(); ++i) { xb[i] = to_bf16(xf[i]); xd[i] = bf ? from_bf16(xb[i]) : xf[i]; }
            for (size_t i = 0; i < yf.size(); ++i) { yb[i] = to_bf16(yf[i]); yd[i] = bf ? from_bf16(yb[i]) : yf[i]; }
            std::vector<double> sx(n), sy(n);
            for (int r = 0; r < n; ++r) {
                sx[r] = std::sqrt(median_nonzero_sq(std::vector<double>(xd.begin() + (size_t)r * m, xd.begin() + (size_t)(r + 1) * m)));
                const double s2 = median_nonzero_sq(std::vector<double>(yd.begin() + (size_t)r * m, yd.begin() + (size_t)(r + 1) * m));
                sy[r] = s2 > 0 ? std::sqrt(s2) : 1.0;
            }
            const void* xp = bf ? (const void*)xb.data() : (const void*)xf.data();
            const void* yp = bf ? (const void*)yb.data() : (const void*)yf.data();
            for (int est = 0; est < 4; ++est) {
                if (quick && est == 1) continue;
                const bool wide = c.wide || m > MP_EMAX * c.threads;
                Kernel k = est == NHSIC ? (wide ? (bf ? mipeaks_nhsic_bf16_x16 : mipeaks_nhsic_f32_x16) : (bf ? mipeaks_nhsic_bf16 : mipeaks_nhsic_f32))
                         : est == HSIC ? (wide ? (bf ? mipeaks_hsic_bf16_x16 : mipeaks_hsic_f32_x16) : (bf ? mipeaks_hsic_bf16 : mipeaks_hsic_f32))
                         : est == CKA_RBF ? (wide ? (bf ? mipeaks_cka_rbf_bf16_x16 : mipeaks_cka_rbf_f32_x16) : (bf ? mipeaks_cka_rbf_bf16 : mipeaks_cka_rbf_f32))
                                          : (bf ? mipeaks_cka_linear_bf16 : mipeaks_cka_linear_f32);
                const bool lowrank = est != CKA_LINEAR;
                for (int traj = 0; traj < 2; ++traj) {
                    if (m == 4096 && (est == HSIC || est == CKA_RBF || bf)) continue;  // keep the big case short
                    const int es = bf ? 2 : 4;
                    const void* ydev = traj ? (const void*)((const char*)yp + (size_t)m * es) : yp;  // y row 1
                    const double* sxp = est == CKA_RBF ? sx.data() : nullptr;
                    const double* syp = est == CKA_RBF ? sy.data() + (traj ? 1 : 0) : nullptr;
                    Out o = run(k, lowrank, xp, ydev, n, m, traj, sxp, syp, c.threads, c.smem_cols, c.rmax, c.grid);
                    int bad = 0;
                    double worst = 0;
                    for (int r = 0; r < n; ++r) {
                        const int yr = traj ? 1 : r;
                        std::vector<double> a(xd.begin() + (size_t)r * m, xd.begin() + (size_t)(r + 1) * m);
                        std::vector<double> b(yd.begin() + (size_t)yr * m, yd.begin() + (size_t)(yr + 1) * m);
                        const RefOut ref = reference((Est)est, a, b, est == CKA_RBF ? sx[r] : 50.0, est == CKA_RBF ? sy[yr] : 50.0,
                                                     1e-5, 1e-10 * 1e-5 * m, c.rmax);
                        ++checks;
                        const bool ref_over = lowrank && (ref.rx < 0 || ref.ry < 0);
                        if (ref_over || o.st[r] != MIPEAKS_OK) {
                            const bool gpu_over = o.st[r] == MIPEAKS_RANK_OVERFLOW;
                            if (ref_over != gpu_over) {
                                if (bad++ < 3) printf("  MISMATCH %s m=%d row %d: status %d, reference ranks %d/%d\n", kEstName[est], m, r, o.st[r], ref.rx, ref.ry);
                            }
                            continue;
                        }
                        const double err = std::fabs(o.v[r] - ref.v);
                        worst = std::max(worst, err / std::max(std::fabs(ref.v), 1e-300));
                        const bool rank_ok = est == CKA_LINEAR ? (o.rx[r] == -1 && o.ry[r] == -1) : (o.rx[r] == ref.rx && o.ry[r] == ref.ry);
                        if (!(err <= atol + rtol * std::fabs(ref.v)) || !rank_ok || !std::isfinite(o.v[r])) {
                            if (bad++ < 3)
                                printf("  MISMATCH %s %s m=%d T=%d S=%d %s row %d: kernel %.17g ref %.17g ranks %d/%d ref %d/%d\n",
                                       kEstName[est], bf ? "bf16" : "f32", m, c.threads, c.smem_cols, traj ? "traj" : "paired", r,
                                       o.v[r], ref.v, o.rx[r], o.ry[r], ref.rx, ref.ry);
                        }
                    }
                    printf("%-4s %-10s %-4s m=%-4d T=%-3d E=%-2d smem_cols=%-3d rmax=%-2d grid=%d %-6s max rel err %.2e\n", bad ? "FAIL" : "ok",
                           kEstName[est], bf ? "bf16" : "f32", m, c.threads, lowrank ? (wide ? MP_EMAX_WIDE : MP_EMAX) : 0, c.smem_cols, c.rmax,
                           c.grid, traj ? "traj" : "paired", worst);
                    fflush(stdout);
                    failures += bad;
                }
            }
        }
    }
    // NaN in x row 1: that pair is flagged MIPEAKS_NONFINITE, the others are computed
    for (int est : {NHSIC, CKA_LINEAR}) {
        const int m = 64, n = 3;
        std::vector<float> xf, yf;
        make_rows(xf, n, m, 7, 2, nullptr);
        make_rows(yf, n, m, 8, 0, &xf);
        xf[m + 5] = NAN;
        Out o = run(est == NHSIC ? mipeaks_nhsic_f32 : mipeaks_cka_linear_f32, est == NHSIC, xf.data(), yf.data(), n, m, false,
                    nullptr, nullptr, 32, 4, 64, 2);
        const bool ok = o.st[0] == MIPEAKS_OK && o.st[1] == MIPEAKS_NONFINITE && o.st[2] == MIPEAKS_OK && std::isfinite(o.v[0]);
        printf("%-4s %-10s NaN in row 1 flagged (status %d %d %d)\n", ok ? "ok" : "FAIL", kEstName[est], o.st[0], o.st[1], o.st[2]);
        failures += !ok;
        ++checks;
    }
    failures += check_grouped(checks);
    printf("emulated kernels (nhsic %s): %s (%d pair checks, %d mismatches)\n", MP_VARIANT_NAME, failures ? "FAILED" : "passed", checks, failures);
    return failures ? 1 : 0;
}
