package dev.mipeaks.mi;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.Matrix;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The CPU engine: pairs are spread over a fixed pool of threads; a single y row (a trajectory's ground truth) is
 * prepared once and shared.
 */
public final class CpuMiBackend implements MiBackend {
    private final Estimator estimator;
    private final int threads;
    private final ExecutorService pool;

    public CpuMiBackend(Estimator estimator, int threads) {
        if (threads < 1) {
            throw MipeaksException.invalid("--threads must be >= 1, got " + threads);
        }
        this.estimator = estimator;
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mipeaks-mi");
            t.setDaemon(true);
            return t;
        });
    }

    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String describe() {
        return "cpu (" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public Estimator estimator() {
        return estimator;
    }

    @Override
    public Estimate[] estimate(Matrix x, Matrix y, Progress progress) {
        Inputs.checkPairable(x, y);
        int n = x.rows();
        Estimate[] out = new Estimate[n];
        Estimator.Prepared shared = null;
        if (y.rows() == 1 && n > 0) {
            double[] yv = y.row(0);
            Inputs.checkFinite(y.where(), 0, yv);
            shared = estimator.prepare(yv);
        }
        final Estimator.Prepared sharedY = shared;
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int chunk = Math.max(1, Math.min(64, n / (threads * 8)));
        Runnable worker = () -> {
            double[] xv = new double[x.cols()];
            double[] yv = sharedY == null ? new double[y.cols()] : null;
            while (true) {
                int start = next.getAndAdd(chunk);
                if (start >= n) {
                    return;
                }
                int end = Math.min(n, start + chunk);
                for (int i = start; i < end; i++) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    x.row(i, xv);
                    Inputs.checkFinite(x.where(), i, xv);
                    Estimator.Prepared py = sharedY;
                    if (py == null) {
                        y.row(i, yv);
                        Inputs.checkFinite(y.where(), i, yv);
                        py = estimator.prepare(yv);
                    }
                    out[i] = estimator.estimate(estimator.prepare(xv), py);
                }
                long d = done.addAndGet(end - start);
                if (progress != null) {
                    progress.update(d, n);
                }
            }
        };
        if (pool == null || n <= chunk) {
            worker.run();
        } else {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(worker));
            }
            try {
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                fs.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new MipeaksException(dev.mipeaks.ExitCode.INTERRUPTED, "interrupted");
            } catch (ExecutionException e) {
                fs.forEach(f -> f.cancel(true));
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(c);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
