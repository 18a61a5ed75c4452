package dev.mipeaks.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hipparchus.complex.Complex;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.form.tex.TeXParser;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * Symbolic equality of two LaTeX expressions through the Symja computer algebra system.
 *
 * <p>Two expressions are equal when {@code Simplify(a - b)} is 0, or, failing that, when they agree numerically:
 * constants within a relative 1e-4 when either side has a decimal (a rounded answer), else 1e-10 (an exact
 * difference that simplifies to a non-zero number is unequal outright); expressions with variables at three fixed
 * sample points within 1e-8 (an exact non-zero difference is unequal outright here too). Values that are not
 * finite doubles (overflow, NaN) never agree. LaTeX is parsed by Symja's {@code TeXParser}; an expression with
 * anything the parser does not really understand (unknown macros become multi-letter symbols, text becomes
 * strings, {@code \pm}) is {@link Result#UNSUPPORTED}, never guessed at.
 *
 * <p>Symja's start-up (symbol tables, rule sets) takes seconds, so it is done once per JVM, and so are its size
 * limits (integers of at most 2^20 bits, polynomials of degree 1000, expressions of 100,000 elements: past them
 * Symja gives up at once instead of computing on in a thread that the timeout had to abandon). Evaluation state
 * in Symja is per thread ({@code EvalEngine}), so each worker is one thread owning one engine; {@link #equal}
 * borrows a free worker. <b>Thread safety:</b> an instance is safe for concurrent use; at most {@code workers}
 * comparisons run at once.
 * A comparison that runs past its timeout is asked to stop; a worker that does not stop within a grace period is
 * abandoned (its daemon thread dies with the JVM) and replaced.
 */
public final class SymjaCas implements AutoCloseable {
    /** Outcome of one comparison. */
    public enum Result { EQUAL, UNEQUAL, UNSUPPORTED, TIMEOUT }

    private static final double CONSTANT_RTOL = 1e-4;
    private static final double SAMPLE_RTOL = 1e-8;
    private static final double EXACT_RTOL = 1e-10;
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("\\d\\.\\d|(?<!\\d)\\.\\d");
    private static final double[] SAMPLES = {0.5371, 1.2913, 2.7183};
    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
            "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "rho", "sigma", "tau", "upsilon", "phi",
            "chi", "psi", "omega");
    /** Limits on what Symja may build (see {@link #initialise}). */
    static final int MAX_BITS = 1 << 20;
    static final int MAX_POLYNOMIAL_DEGREE = 1000;
    static final int MAX_AST_SIZE = 100_000;
    private static volatile boolean initialised;

    private final BlockingQueue<Worker> free;
    private final List<Worker> all = new ArrayList<>();
    private volatile boolean closed;

    public SymjaCas(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        free = new ArrayBlockingQueue<>(workers);
        for (int i = 0; i < workers; i++) {
            Worker w = new Worker();
            all.add(w);
            free.add(w);
        }
    }

    /** Loads Symja's tables once per JVM (seconds); later calls return at once. */
    public static void initialise() {
        if (initialised) {
            return;
        }
        synchronized (SymjaCas.class) {
            if (!initialised) {
                // Symja logs through log4j-api without an implementation; keep its status logger quiet.
                System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
                System.setProperty("org.apache.logging.log4j.simplelog.StatusLogger.level", "OFF");
                System.setProperty("org.apache.logging.log4j.simplelog.level", "OFF");
                // answers are short: a computation that builds a million-bit integer (2^{99999999}, 9^{9^9}), a
                // degree-1000 polynomial or a 100,000-element expression is an adversarial input, not an answer.
                // Without these limits it runs on (and fills the heap) in a thread the timeout had to abandon.
                Config.MAX_BIT_LENGTH = MAX_BITS;
                Config.MAX_POLYNOMIAL_DEGREE = MAX_POLYNOMIAL_DEGREE;
                Config.MAX_AST_SIZE = MAX_AST_SIZE;
                F.initSymbols();
                initialised = true;
            }
        }
    }

    /**
     * Compares two LaTeX expressions (already normalised) within {@code timeout}, waiting for a free worker
     * included: past it, {@link Result#TIMEOUT}. Start-up does not count: Symja's tables (once per JVM) and a
     * worker's first evaluation (a new engine's rule sets: seconds in a cold JVM) run first, untimed.
     */
    public Result equal(String texA, String texB, Duration timeout) {
        return equal(texA, texB, timeout, null);
    }

    /** {@link #equal(String, String, Duration)}; the start-up time, if any, is excluded from {@code budget}. */
    Result equal(String texA, String texB, Duration timeout, Budget budget) {
        if (closed) {
            throw new IllegalStateException("SymjaCas is closed");
        }
        long t0 = System.nanoTime();
        initialise();
        if (budget != null) {
            budget.exclude(Duration.ofNanos(System.nanoTime() - t0));
        }
        long start = System.nanoTime();
        Worker w;
        try {
            w = free.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.TIMEOUT;
        }
        if (w == null) {
            return Result.TIMEOUT; // every worker busy for the whole time
        }
        try {
            Duration setUp = w.warmUp();
            if (budget != null) {
                budget.exclude(setUp);
            }
            Duration left = timeout.minusNanos(System.nanoTime() - start).plus(setUp);
            return left.isNegative() || left.isZero() ? Result.TIMEOUT : w.run(texA, texB, left);
        } finally {
            free.add(w);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Worker w : all) {
                w.shutdown();
            }
        }
    }

    /** One thread with its own EvalEngine. */
    private static final class Worker {
        /** The longest a worker's first evaluation may take (a cold JVM on a loaded machine: seconds). */
        private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
        private static final String[][] WARM_UP = {{"x+1", "1+x"}, {"(x+1)^2", "x^2+2x+1"},
            {"\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}"}, {"\\sin^2 x+\\cos^2 x", "1"}, {"0.866", "\\frac{\\sqrt{3}}{2}"}};
        private ExecutorService exec;
        private volatile EvalEngine engine;
        private boolean warm;

        Worker() {
            start();
        }

        private void start() {
            exec = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "symja-cas");
                t.setDaemon(true);
                return t;
            });
            engine = null;
            warm = false;
        }

        /**
         * The first evaluations on this worker's engine, one per kind of rule the grader leans on (polynomials,
         * radicals, trigonometry), untimed up to a minute in all; zero when done before.
         */
        Duration warmUp() {
            if (warm) {
                return Duration.ZERO;
            }
            long t0 = System.nanoTime();
            for (String[] p : WARM_UP) {
                Duration left = WARM_UP_LIMIT.minusNanos(System.nanoTime() - t0);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                run(p[0], p[1], left);
            }
            warm = true;
            return Duration.ofNanos(System.nanoTime() - t0);
        }

        Result run(String a, String b, Duration timeout) {
            Future<Result> f = exec.submit(() -> compare(a, b));
            try {
                return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                EvalEngine eng = engine;
                if (eng != null) {
                    eng.stopRequest();
                }
                f.cancel(true);
                try {
                    f.get(500, TimeUnit.MILLISECONDS);
                } catch (Exception stillRunning) {
                    // the engine did not notice the stop request: abandon this thread, start a fresh one
                    exec.shutdownNow();
                    start();
                }
                return Result.TIMEOUT;
            } catch (ExecutionException e) {
                return Result.UNSUPPORTED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                return Result.TIMEOUT;
            } catch (java.util.concurrent.CancellationException e) {
                return Result.TIMEOUT;
            }
        }

        void shutdown() {
            exec.shutdownNow();
        }

        private Result compare(String texA, String texB) {
            initialise();
            EvalEngine eng = engine;
            if (eng == null) {
                eng = new EvalEngine(true);
                // Symja prints evaluation messages ("Simplify: null.") to stdout; grading output must stay clean
                java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
                eng.setOutPrintStream(sink);
                eng.setErrorPrintStream(sink);
                eng.setQuietMode(true);
                engine = eng;
            }
            EvalEngine.set(eng);
            eng.setStopRequested(false);
            ExprEvaluator ev = new ExprEvaluator(eng, true, (short) 100);
            IExpr a;
            IExpr b;
            try {
                TeXParser parser = new TeXParser();
                a = parser.parse(texA);
                b = parser.parse(texB);
            } catch (RuntimeException | StackOverflowError e) {
                return Result.UNSUPPORTED;
            }
            Set<ISymbol> vars = new HashSet<>();
            if (!supported(a, vars) || !supported(b, vars)) {
                return Result.UNSUPPORTED;
            }
            if (a.isList() || b.isList()) {
                return Result.UNSUPPORTED; // tuples are the grader's business
            }
            try {
                IExpr d = ev.eval(F.Simplify(F.Subtract(a, b)));
                if (d.isZero()) {
                    return Result.EQUAL;
                }
                if (d.isNumber() && d.isExactNumber()) {
                    // exact and non-zero: 13535+1 is not 13535, x+10^20+1 is not x+10^20, whatever the tolerance
                    // (doubles at the sample points could not tell them apart)
                    return Result.UNEQUAL;
                }
                if (vars.isEmpty()) {
                    Complex ca = ev.evalComplex(a);
                    Complex cb = ev.evalComplex(b);
                    // a rounded decimal (0.866) may match an exact constant within 1e-4; two exact expressions
                    // (nested radicals Simplify missed) must agree to rounding error
                    double tol = hasDecimal(texA) || hasDecimal(texB) ? CONSTANT_RTOL : EXACT_RTOL;
                    return close(ca, cb, tol) ? Result.EQUAL : Result.UNEQUAL;
                }
                for (double x0 : SAMPLES) {
                    org.matheclipse.core.interfaces.IASTAppendable rules = F.ListAlloc(vars.size());
                    int k = 0;
                    for (ISymbol v : vars) {
                        // different values per variable so that x-y is not 0 at the sample point
                        rules.append(F.Rule(v, F.num(x0 + 0.3179 * k++)));
                    }
                    Complex ca = ev.evalComplex(F.ReplaceAll(a, rules));
                    Complex cb = ev.evalComplex(F.ReplaceAll(b, rules));
                    if (!close(ca, cb, SAMPLE_RTOL)) {
                        return Result.UNEQUAL;
                    }
                }
                return Result.EQUAL;
            } catch (RuntimeException | StackOverflowError e) {
                return eng.isStopRequested() ? Result.TIMEOUT : Result.UNSUPPORTED;
            }
        }
    }

    private static boolean hasDecimal(String tex) {
        return DECIMAL.matcher(tex).find();
    }

    private static boolean close(Complex a, Complex b, double rtol) {
        if (a.isNaN() || b.isNaN() || a.isInfinite() || b.isInfinite()) {
            return false;
        }
        double diff = Math.hypot(a.getReal() - b.getReal(), a.getImaginary() - b.getImaginary());
        double scale = Math.max(Math.hypot(a.getReal(), a.getImaginary()), Math.hypot(b.getReal(), b.getImaginary()));
        return diff <= rtol * scale || diff <= 1e-12;
    }

    /**
     * True when every symbol of {@code e} is a Symja built-in (Pi, E, I, Sin...) or a plausible variable: one
     * letter, or a Greek letter name. Collects the variables. Strings and PlusMinus are unsupported.
     */
    static boolean supported(IExpr e, Set<ISymbol> vars) {
        if (e.isString()) {
            return false;
        }
        if (e instanceof IAST ast) {
            IExpr head = ast.head();
            if (head.isSymbol() && "PlusMinus".equals(head.toString())) {
                return false;
            }
            for (int i = 0; i < ast.size(); i++) {
                if (!supported(ast.get(i), vars)) {
                    return false;
                }
            }
            return true;
        }
        if (e instanceof ISymbol s) {
            if (s.isBuiltInSymbol()) {
                return true;
            }
            String n = s.getSymbolName();
            // one letter (x, θ as TeXParser spells \theta) or a Greek letter's name
            if (n.codePointCount(0, n.length()) == 1 || GREEK.contains(n.toLowerCase(java.util.Locale.ROOT))) {
                vars.add(s);
                return true;
            }
            return false;
        }
        return true;
    }
}
