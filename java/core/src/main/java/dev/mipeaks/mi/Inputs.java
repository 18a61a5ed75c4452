package dev.mipeaks.mi;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.Matrix;

/** Validation of estimator inputs, with messages naming the source and row. */
public final class Inputs {
    private Inputs() {
    }

    /** Checks that x and y can be paired: equal row length m >= 2, and y has as many rows as x, or one. */
    public static void checkPairable(Matrix x, Matrix y) {
        if (x.cols() != y.cols()) {
            throw MipeaksException.invalid("length mismatch: " + x.where() + " has rows of " + x.cols() + ", "
                    + y.where() + " has rows of " + y.cols());
        }
        if (x.cols() < 2) {
            throw MipeaksException.invalid(x.where() + ": vectors of length " + x.cols()
                    + " (need m >= 2 samples per vector)");
        }
        if (y.rows() != x.rows() && y.rows() != 1) {
            throw MipeaksException.invalid("row count mismatch: " + x.where() + " has " + x.rows() + " rows, "
                    + y.where() + " has " + y.rows() + " (expected " + x.rows() + " or 1)");
        }
    }

    /** Throws invalid input naming {@code where} and {@code row} at the first NaN or infinity in {@code v}. */
    public static void checkFinite(String where, int row, double[] v) {
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw MipeaksException.invalid(where + ": row " + row + ", column " + j + " is " + v[j]
                        + " (NaN/Inf are not valid estimator input)");
            }
        }
    }
}
