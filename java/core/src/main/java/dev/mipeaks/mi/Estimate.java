package dev.mipeaks.mi;

/** One estimator value with the kernel ranks used for x and y (-1 where the estimator has no low-rank factor). */
public record Estimate(double value, int rankX, int rankY) {
    public static Estimate of(double value) {
        return new Estimate(value, -1, -1);
    }
}
