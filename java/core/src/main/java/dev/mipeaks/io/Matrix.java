package dev.mipeaks.io;

import java.nio.ByteBuffer;

/**
 * Rows of a float tensor in any floating dtype, decoded on access. {@code where} names the source
 * ("file: tensor 'x'") for error messages.
 */
public record Matrix(String where, DType dtype, int rows, int cols, ByteBuffer buffer) {

    /** Row {@code r} converted to double into {@code dst} (length >= cols). */
    public void row(int r, double[] dst) {
        long base = (long) r * cols;
        for (int j = 0; j < cols; j++) {
            dst[j] = dtype.getAsDouble(buffer, base + j);
        }
    }

    public double[] row(int r) {
        double[] d = new double[cols];
        row(r, d);
        return d;
    }

    /** Row {@code r} converted to float into {@code dst}. */
    public void rowFloat(int r, float[] dst) {
        long base = (long) r * cols;
        for (int j = 0; j < cols; j++) {
            dst[j] = (float) dtype.getAsDouble(buffer, base + j);
        }
    }

    /** An in-memory float64 matrix, for tests and small inputs. */
    public static Matrix of(String where, double[][] rows) {
        int n = rows.length;
        int m = n == 0 ? 0 : rows[0].length;
        ByteBuffer b = ByteBuffer.allocate(n * m * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                b.putDouble(v);
            }
        }
        b.flip();
        return new Matrix(where, DType.F64, n, m, b);
    }
}
