package dev.mipeaks.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Accuracy of a grading run overall, by level and by subject, plus how many verdicts each rule decided. */
public final class GradeSummary {
    /** Correct out of total. */
    public static final class Count {
        int correct;
        int total;

        public int correct() {
            return correct;
        }

        public int total() {
            return total;
        }

        public double accuracy() {
            return total == 0 ? 0 : (double) correct / total;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("correct", correct);
            m.put("total", total);
            m.put("accuracy", accuracy());
            return m;
        }
    }

    private final String dataset;
    private final Count overall = new Count();
    private final Map<String, Count> byLevel = new TreeMap<>();
    private final Map<String, Count> bySubject = new TreeMap<>();
    private final Map<String, Integer> byRule = new TreeMap<>();

    public GradeSummary(String dataset) {
        this.dataset = dataset;
    }

    public synchronized void add(DatasetRecord r, Verdict v) {
        bump(overall, v.correct());
        if (r.level() != null) {
            bump(byLevel.computeIfAbsent(Integer.toString(r.level()), k -> new Count()), v.correct());
        }
        if (r.subject() != null) {
            bump(bySubject.computeIfAbsent(r.subject(), k -> new Count()), v.correct());
        }
        byRule.merge(v.rule().label(), 1, Integer::sum);
    }

    private static void bump(Count c, boolean ok) {
        c.total++;
        if (ok) {
            c.correct++;
        }
    }

    public Count overall() {
        return overall;
    }

    public Map<String, Count> byLevel() {
        return byLevel;
    }

    public Map<String, Count> bySubject() {
        return bySubject;
    }

    public Map<String, Integer> byRule() {
        return byRule;
    }

    /** The summary.json object. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.putAll(overall.json());
        Map<String, Object> lv = new LinkedHashMap<>();
        byLevel.forEach((k, c) -> lv.put(k, c.json()));
        m.put("by_level", lv);
        Map<String, Object> sj = new LinkedHashMap<>();
        bySubject.forEach((k, c) -> sj.put(k, c.json()));
        m.put("by_subject", sj);
        m.put("by_rule", byRule);
        return m;
    }

    /** A human-readable table. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-28s %s%n", dataset, Accuracy.format(overall)));
        byLevel.forEach((k, c) -> b.append(String.format("  level %-20s %s%n", k, Accuracy.format(c))));
        bySubject.forEach((k, c) -> b.append(String.format("  %-26s %s%n", k, Accuracy.format(c))));
        b.append("  decided by: ").append(byRule).append(System.lineSeparator());
        return b.toString();
    }
}
