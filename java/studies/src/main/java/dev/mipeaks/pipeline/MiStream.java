package dev.mipeaks.pipeline;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.MiBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * MI of every generated step against the ground-truth state, on every captured layer, computed while generation
 * goes on: steps are buffered in chunks (in the storage dtype, so the MI is that of exactly the stored values) and
 * each full chunk is handed to the MI backend on a worker thread, every layer of it in one call
 * ({@link MiBackend#estimateTrajectories}: on the GPU one launch for all layers, not one per layer). At most
 * {@value #IN_FLIGHT} chunks wait, so a 16k-step trajectory never sits in memory; the values (8 bytes per step and
 * layer) do.
 */
final class MiStream implements StepHook {
    static final int IN_FLIGHT = 2;

    /** A chunk in flight: its first step and the values of every layer (values[i] for layers[i]). */
    private record Pending(int start, Future<Estimate[][]> values) {
    }

    private final MiBackend backend;
    private final ExecutorService worker;
    private final String label;
    private final int[] layers;
    private final int hidden;
    private final DType dtype;
    private final Matrix[] gt;
    private final int chunk;
    private final LongConsumer pairsDone;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ByteBuffer[] buf;
    private int inChunk;
    private int steps;
    private double[][] mi;
    private String nonFinite;

    /**
     * @param gtStates  gt[i] = the ground-truth state after layers[i] (as computed, float32)
     * @param pairsDone receives the number of pairs each finished chunk computed (for progress), may be null
     */
    MiStream(MiBackend backend, ExecutorService worker, String label, int[] layers, float[][] gtStates, DType dtype,
             int chunk, LongConsumer pairsDone) {
        this.backend = backend;
        this.worker = worker;
        this.label = label;
        this.layers = layers.clone();
        this.hidden = gtStates[0].length;
        this.dtype = dtype;
        this.chunk = chunk;
        this.pairsDone = pairsDone;
        this.gt = new Matrix[layers.length];
        for (int i = 0; i < layers.length; i++) {
            ByteBuffer b = rows(1);
            if (nonFinite == null && firstNonFinite(gtStates[i]) >= 0) {
                nonFinite = "non-finite ground-truth state at layer " + layers[i] + " (the model produced NaN/Inf)";
            }
            put(b, 0, gtStates[i]);
            gt[i] = new Matrix(label + ": gt_hidden." + layers[i], dtype, 1, hidden, b);
        }
        this.mi = new double[layers.length][256];
        newChunk();
    }

    /** The ground-truth state of layers[i] as stored (bytes of the storage dtype, [H]). */
    ByteBuffer storedGt(int i) {
        return gt[i].buffer().duplicate();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /**
     * Why this problem's MI cannot be computed (a NaN or Inf state: the model's fault, not the estimator's), or null.
     * Once set, no further chunk is computed.
     */
    String nonFinite() {
        return nonFinite;
    }

    @Override
    public void onStep(Step s) {
        if (s.row() != 0) {
            return;
        }
        for (int i = 0; i < layers.length && nonFinite == null; i++) {
            if (firstNonFinite(s.hidden(layers[i])) >= 0) {
                nonFinite = "non-finite hidden state at step " + s.step() + ", layer " + layers[i]
                        + " (the model produced NaN/Inf)";
            }
        }
        for (int i = 0; i < layers.length; i++) {
            put(buf[i], inChunk, s.hidden(layers[i]));
        }
        inChunk++;
        steps++;
        if (inChunk == chunk) {
            submit();
        }
    }

    /** Waits for every chunk; returns mi[i][t] for layers[i] and step t (null after a non-finite state). */
    double[][] finish() {
        if (nonFinite != null) {
            cancel();
            return null;
        }
        if (inChunk > 0) {
            submit();
        }
        while (!pending.isEmpty()) {
            collect(pending.removeFirst());
        }
        double[][] out = new double[layers.length][];
        for (int i = 0; i < layers.length; i++) {
            out[i] = Arrays.copyOf(mi[i], steps);
        }
        return out;
    }

    /** Cancels what is still queued (the problem failed or the run stops). */
    void cancel() {
        pending.forEach(p -> p.values().cancel(true));
        pending.clear();
    }

    private void submit() {
        if (nonFinite != null) {
            newChunk();
            return;
        }
        int start = steps - inChunk;
        int n = inChunk;
        List<Matrix> xs = new ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            ByteBuffer b = buf[i];
            b.limit(n * hidden * dtype.bytes());
            xs.add(new Matrix(label + ": hidden." + layers[i] + " steps " + start + ".." + (start + n - 1), dtype, n,
                    hidden, b.slice().order(ByteOrder.LITTLE_ENDIAN)));
        }
        List<Matrix> ys = List.of(gt);
        pending.addLast(new Pending(start, worker.submit(() -> backend.estimateTrajectories(xs, ys))));
        newChunk();
        while (pending.size() > IN_FLIGHT) {
            collect(pending.removeFirst());
        }
    }

    private void collect(Pending p) {
        Estimate[][] e;
        try {
            e = p.values().get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MipeaksException(dev.mipeaks.ExitCode.INTERRUPTED, "interrupted");
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
        for (int i = 0; i < layers.length; i++) {
            int need = p.start() + e[i].length;
            if (mi[i].length < need) {
                mi[i] = Arrays.copyOf(mi[i], Math.max(need, 2 * mi[i].length));
            }
            for (int k = 0; k < e[i].length; k++) {
                mi[i][p.start() + k] = e[i][k].value();
            }
            if (pairsDone != null) {
                pairsDone.accept(e[i].length);
            }
        }
    }

    private static int firstNonFinite(float[] v) {
        for (int j = 0; j < v.length; j++) {
            if (!Float.isFinite(v[j])) {
                return j;
            }
        }
        return -1;
    }

    private void newChunk() {
        buf = new ByteBuffer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            buf[i] = rows(chunk);
        }
        inChunk = 0;
    }

    private ByteBuffer rows(int n) {
        return ByteBuffer.allocate(n * hidden * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Row r of b := v in the storage dtype, rounded exactly as TrajectoryWriter stores it. */
    private void put(ByteBuffer b, int r, float[] v) {
        if (v.length != hidden) {
            throw new IllegalArgumentException(label + ": state of " + v.length + " values, expected " + hidden);
        }
        int base = r * hidden * dtype.bytes();
        if (dtype == DType.F32) {
            for (int j = 0; j < hidden; j++) {
                b.putFloat(base + 4 * j, v[j]);
            }
        } else {
            for (int j = 0; j < hidden; j++) {
                b.putShort(base + 2 * j, DType.bf16FromFloat(v[j]));
            }
        }
    }
}
