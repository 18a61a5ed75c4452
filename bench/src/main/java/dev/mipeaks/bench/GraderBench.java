package dev.mipeaks.bench;

import dev.mipeaks.eval.AdversarialAnswers;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.MathGrader;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Grading throughput on MATH-500: every ground truth against (a) itself inside a boxed response, (b) perturbed
 * variants: \dfrac form, the next row's answer, the answer with "+1" appended (forces the CAS on expressions).
 * Reports rows/s per set after a warm-up pass, and which rules decided.
 *
 * <p>{@code adversarial} mode grades the adversarial set ({@link AdversarialAnswers}: overflowing numbers, megabyte
 * lines, deep nesting, ...) once with the default grader (10 s budget per answer, 2 s CAS timeout) and prints each
 * answer's time and verdict, the slowest, the total and how many answers stayed within their budget; with an
 * output folder it also writes the set as {@code dataset.jsonl} + {@code predictions.jsonl} for {@code grade}.
 *
 * <pre>
 * mvn -q -o -pl java,bench package -DskipTests
 * java -cp "bench/target/mipeaks-bench.jar:bench/target/lib/*" dev.mipeaks.bench.GraderBench [dataDir] [threads]
 * java -cp "bench/target/mipeaks-bench.jar:bench/target/lib/*" dev.mipeaks.bench.GraderBench adversarial [outDir]
 * </pre>
 */
public final class GraderBench {
    private GraderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("adversarial")) {
            adversarial(args.length > 1 ? Path.of(args[1]) : null);
            System.exit(0);
        }
        DatasetLoader loader = new DatasetLoader();
        if (args.length > 0) {
            loader = loader.withDataRoot(Path.of(args[0]));
        }
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Dataset math = loader.load("math500");
        List<String[]> self = new ArrayList<>();
        List<String[]> perturbed = new ArrayList<>();
        for (int i = 0; i < math.size(); i++) {
            DatasetRecord r = math.get(i);
            self.add(new String[] {"The answer is $\\boxed{" + r.answer() + "}$.", r.answer()});
            perturbed.add(new String[] {"so \\boxed{" + r.answer().replace("\\frac", "\\dfrac") + "}", r.answer()});
            perturbed.add(new String[] {"\\boxed{" + math.get((i + 1) % math.size()).answer() + "}", r.answer()});
            perturbed.add(new String[] {"\\boxed{" + r.answer() + "+1}", r.answer()});
        }
        long t0 = System.nanoTime();
        try (MathGrader grader = new MathGrader(MathGrader.Options.defaults().withCasWorkers(threads)).warmUp()) {
            System.out.printf("CAS start-up: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            run(grader, self, threads, "warm-up self", false);
            run(grader, perturbed, threads, "warm-up perturbed", false);
            run(grader, self, threads, "self (500)", true);
            run(grader, perturbed, threads, "perturbed (1500)", true);
        }
        System.exit(0); // Symja starts a non-daemon initializer thread
    }

    private static void adversarial(Path out) throws Exception {
        List<AdversarialAnswers.Case> cases = AdversarialAnswers.cases();
        long chars = cases.stream().mapToLong(c -> c.text().length() + c.truth().length()).sum();
        if (out != null) {
            AdversarialAnswers.writeFiles(cases, out);
            System.out.println("wrote " + out.resolve("dataset.jsonl") + " and " + out.resolve("predictions.jsonl"));
        }
        long t0 = System.nanoTime();
        try (MathGrader grader = new MathGrader().warmUp()) {
            System.out.printf("CAS start-up: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            double budget = grader.options().limits().budget().toNanos() / 1e9;
            Map<Rule, Integer> rules = new EnumMap<>(Rule.class);
            double total = 0;
            double slowest = 0;
            String slowestName = "";
            int within = 0;
            int expected = 0;
            int prescribed = 0;
            for (AdversarialAnswers.Case c : cases) {
                long t = System.nanoTime();
                Verdict v = c.isResponse() ? grader.grade(c.text(), c.truth()) : grader.compare(c.text(), c.truth());
                double s = (System.nanoTime() - t) / 1e9;
                total += s;
                if (s > slowest) {
                    slowest = s;
                    slowestName = c.name();
                }
                within += s <= budget ? 1 : 0;
                if (c.correct() != null || c.rule() != null) {
                    prescribed++;
                    expected += (c.correct() == null || c.correct() == v.correct())
                            && (c.rule() == null || c.rule() == v.rule()) ? 1 : 0;
                }
                rules.merge(v.rule(), 1, Integer::sum);
                System.out.printf("%8.3f s  %-5s %-9s %-52s %s%n", s, v.correct(), v.rule().label(), c.name(),
                        v.reason() == null ? "" : v.reason());
            }
            System.out.printf("%d answers (%.1f MB of text) in %.2f s; slowest %.3f s (%s); within the %.0f s budget: "
                            + "%d/%d; prescribed verdicts met: %d/%d; rules %s%n", cases.size(), chars / 1e6, total,
                    slowest, slowestName, budget, within, cases.size(), expected, prescribed, rules);
        }
    }

    private static void run(MathGrader grader, List<String[]> pairs, int threads, String name, boolean print)
            throws Exception {
        Map<Rule, Integer> rules = new EnumMap<>(Rule.class);
        int[] correct = new int[1];
        long t0 = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<Verdict>> fs = new ArrayList<>();
        for (String[] p : pairs) {
            fs.add(pool.submit(() -> grader.grade(p[0], p[1])));
        }
        for (var f : fs) {
            Verdict v = f.get();
            rules.merge(v.rule(), 1, Integer::sum);
            correct[0] += v.correct() ? 1 : 0;
        }
        pool.shutdown();
        double s = (System.nanoTime() - t0) / 1e9;
        if (print) {
            System.out.printf("%-18s %5d rows  %7.3f s  %9.0f rows/s  correct %d  rules %s%n",
                    name, pairs.size(), s, pairs.size() / s, correct[0], rules);
        }
    }
}
