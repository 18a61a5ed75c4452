// Float64 CPU reference of the mipeaks estimators and the input generator, shared by native/mipeaks_check.cu (GPU)
// and native/mipeaks_emu.cpp (the kernels run on CPU threads). Written independently of the kernels' data layout.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

// ---------------------------------------------------------------------------------------------------------------
// CPU reference (float64), written independently of the kernels' data layout.

static int ref_factor(const std::vector<double>& x, double sigma, double tol, int rmax, std::vector<std::vector<double>>& B) {
    const int m = (int)x.size();
    std::vector<double> d(m, 1.0);
    std::vector<std::vector<double>> A;
    for (;;) {
        int p = 0;
        double sum = 0.0;
        for (int i = 0; i < m; ++i) {
            sum += d[i];
            if (d[i] > d[p]) p = i;
        }
        if (sum <= tol || d[p] <= 64.0 * 2.220446049250313e-16 || (int)A.size() == m) break;
        if ((int)A.size() == rmax) return -1;
        const double piv = std::sqrt(d[p]);
        std::vector<double> a(m);
        for (int i = 0; i < m; ++i) {
            const double dx = x[i] - x[p];
            double s = std::exp(-(dx * dx) / (2.0 * sigma * sigma));
            for (auto& c : A) s -= c[i] * c[p];
            a[i] = i == p ? piv : s / piv;
        }
        for (int i = 0; i < m; ++i) d[i] = i == p ? 0.0 : std::max(d[i] - a[i] * a[i], 0.0);
        A.push_back(std::move(a));
    }
    B = A;
    for (auto& c : B) {
        double mu = 0.0;
        for (double v : c) mu += v;
        mu /= m;
        for (double& v : c) v -= mu;
    }
    return (int)B.size();
}

static std::vector<double> gram(const std::vector<std::vector<double>>& X, const std::vector<std::vector<double>>& Y) {
    std::vector<double> G(X.size() * Y.size());
    for (size_t a = 0; a < X.size(); ++a)
        for (size_t b = 0; b < Y.size(); ++b) {
            double s = 0.0;
            for (size_t i = 0; i < X[a].size(); ++i) s += X[a][i] * Y[b][i];
            G[a * Y.size() + b] = s;
        }
    return G;
}

static std::vector<double> cholesky(std::vector<double> G, int r, double c) {
    for (int i = 0; i < r; ++i) G[i * r + i] += c;
    std::vector<double> L(r * r, 0.0);
    for (int j = 0; j < r; ++j) {
        double s = G[j * r + j];
        for (int q = 0; q < j; ++q) s -= L[j * r + q] * L[j * r + q];
        L[j * r + j] = std::sqrt(s);
        for (int i = j + 1; i < r; ++i) {
            double t = G[i * r + j];
            for (int q = 0; q < j; ++q) t -= L[i * r + q] * L[j * r + q];
            L[i * r + j] = t / L[j * r + j];
        }
    }
    return L;
}

static double median_nonzero_sq(const std::vector<double>& x) {
    std::vector<double> d;
    for (size_t i = 0; i < x.size(); ++i)
        for (size_t j = i + 1; j < x.size(); ++j) {
            const double v = (x[i] - x[j]) * (x[i] - x[j]);
            if (v > 0) d.push_back(v);
        }
    if (d.empty()) return 0.0;
    const size_t n = d.size();
    std::nth_element(d.begin(), d.begin() + n / 2, d.end());
    double hi = d[n / 2];
    if (n % 2 == 1) return hi;
    double lo = *std::max_element(d.begin(), d.begin() + n / 2);
    return (lo + hi) / 2.0;
}

enum Est { NHSIC, HSIC, CKA_RBF, CKA_LINEAR };
static const char* kEstName[] = {"nhsic", "hsic", "cka-rbf", "cka-linear"};

struct RefOut {
    double v;
    int rx, ry;
};

static RefOut reference(Est est, const std::vector<double>& x, const std::vector<double>& y, double sx, double sy,
                        double eps, double tol, int rmax) {
    const int m = (int)x.size();
    if (est == CKA_LINEAR) {
        double mx = 0, my = 0;
        for (int i = 0; i < m; ++i) { mx += x[i]; my += y[i]; }
        mx /= m; my /= m;
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < m; ++i) {
            xy += (x[i] - mx) * (y[i] - my); xx += (x[i] - mx) * (x[i] - mx); yy += (y[i] - my) * (y[i] - my);
        }
        return {xx > 0 && yy > 0 ? xy * xy / (xx * yy) : 0.0, -1, -1};
    }
    std::vector<std::vector<double>> Bx, By;
    const int rx = ref_factor(x, sx, tol, rmax, Bx), ry = ref_factor(y, sy, tol, rmax, By);
    if (rx < 0 || ry < 0) return {NAN, rx, ry};
    const std::vector<double> C = gram(Bx, By);
    double c2 = 0;
    for (double v : C) c2 += v * v;
    if (est == HSIC) return {c2 / ((double)m * m), rx, ry};
    const std::vector<double> Gx = gram(Bx, Bx), Gy = gram(By, By);
    if (est == CKA_RBF) {
        double gx = 0, gy = 0;
        for (double v : Gx) gx += v * v;
        for (double v : Gy) gy += v * v;
        return {gx > 0 && gy > 0 ? c2 / (std::sqrt(gx) * std::sqrt(gy)) : 0.0, rx, ry};
    }
    const double c = eps * m;
    const std::vector<double> Lx = cholesky(Gx, rx, c), Ly = cholesky(Gy, ry, c);
    std::vector<double> Z(C);  // Lx^-1 C, column by column
    for (int b = 0; b < ry; ++b)
        for (int a = 0; a < rx; ++a) {
            double v = Z[a * ry + b];
            for (int q = 0; q < a; ++q) v -= Lx[a * rx + q] * Z[q * ry + b];
            Z[a * ry + b] = v / Lx[a * rx + a];
        }
    double s = 0;
    for (int a = 0; a < rx; ++a)  // Z Ly^-T, row by row
        for (int b = 0; b < ry; ++b) {
            double v = Z[a * ry + b];
            for (int q = 0; q < b; ++q) v -= Ly[b * ry + q] * Z[a * ry + q];
            Z[a * ry + b] = v / Ly[b * ry + b];
            s += Z[a * ry + b] * Z[a * ry + b];
        }
    return {s, rx, ry};
}

// Dense float64 nhsic by the definition (Gauss-Jordan inverse), to check the low-rank reference itself (small m).
static double dense_nhsic(const std::vector<double>& x, const std::vector<double>& y, double sigma, double eps) {
    const int m = (int)x.size();
    auto R = [&](const std::vector<double>& v) {
        std::vector<double> K(m * m), M(m * m), Inv(m * m, 0.0);
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < m; ++j) K[i * m + j] = std::exp(-(v[i] - v[j]) * (v[i] - v[j]) / (2 * sigma * sigma));
        for (int i = 0; i < m; ++i) {  // K H: subtract row means
            double mu = 0;
            for (int j = 0; j < m; ++j) mu += K[i * m + j];
            mu /= m;
            for (int j = 0; j < m; ++j) K[i * m + j] -= mu;
        }
        M = K;
        for (int i = 0; i < m; ++i) { M[i * m + i] += eps * m; Inv[i * m + i] = 1.0; }
        for (int k = 0; k < m; ++k) {
            int p = k;
            for (int i = k + 1; i < m; ++i) if (std::fabs(M[i * m + k]) > std::fabs(M[p * m + k])) p = i;
            for (int j = 0; j < m; ++j) { std::swap(M[k * m + j], M[p * m + j]); std::swap(Inv[k * m + j], Inv[p * m + j]); }
            const double piv = M[k * m + k];
            for (int j = 0; j < m; ++j) { M[k * m + j] /= piv; Inv[k * m + j] /= piv; }
            for (int i = 0; i < m; ++i) {
                if (i == k) continue;
                const double f = M[i * m + k];
                if (f == 0) continue;
                for (int j = 0; j < m; ++j) { M[i * m + j] -= f * M[k * m + j]; Inv[i * m + j] -= f * Inv[k * m + j]; }
            }
        }
        std::vector<double> Rm(m * m, 0.0);
        for (int i = 0; i < m; ++i)
            for (int q = 0; q < m; ++q) {
                const double kv = K[i * m + q];
                for (int j = 0; j < m; ++j) Rm[i * m + j] += kv * Inv[q * m + j];
            }
        return Rm;
    };
    const std::vector<double> Rx = R(x), Ry = R(y);
    double s = 0;
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j) s += Rx[i * m + j] * Ry[j * m + i];
    return s;
}

// Inputs

static uint16_t to_bf16(float f) {  // round to nearest even
    uint32_t u;
    memcpy(&u, &f, 4);
    u += 0x7fff + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}
static float from_bf16(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

// Hidden-state-like rows: N(0,1) bulk plus `spikes` entries of magnitude 100..700 at row-independent positions.
static void make_rows(std::vector<float>& out, int n, int m, uint64_t seed, int spikes, const std::vector<float>* base) {
    std::mt19937_64 g(seed);
    std::normal_distribution<float> nd;
    std::uniform_real_distribution<float> ud(100.f, 700.f);
    out.resize((size_t)n * m);
    for (int r = 0; r < n; ++r) {
        for (int i = 0; i < m; ++i) {
            float v = nd(g);
            if (base) v = 0.6f * (*base)[(size_t)r * m + i] + 0.8f * v;
            out[(size_t)r * m + i] = v;
        }
        for (int s = 0; s < spikes && !base; ++s) out[(size_t)r * m + (size_t)(s * 2654435761u % m)] = (s & 1 ? -1 : 1) * ud(g);
    }
}

