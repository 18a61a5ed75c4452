package dev.mipeaks.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

/** The root help's command list, grouped by what a command needs and does (one line per command). */
final class GroupedCommandList implements IHelpSectionRenderer {
    static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("Measure (the MI engine: no model, no LibTorch needed)", List.of("estimators", "estimate", "gpu-info"));
        GROUPS.put("Trace and run suites (the model runtime)", List.of("trace", "run", "merge", "demo"));
        GROUPS.put("Analyse finished runs", List.of("peaks", "report", "compare", "lens"));
        GROUPS.put("Use and evaluate", List.of("rr", "ttts", "suppress", "grade"));
    }

    @Override
    public String render(Help help) {
        Map<String, CommandLine> subs = help.commandSpec().subcommands();
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
            sb.append(g.getKey()).append(":\n");
            for (String name : g.getValue()) {
                CommandLine c = subs.get(name);
                if (c != null) {
                    sb.append(line(name, c, help.commandSpec().usageMessage().width()));
                    listed.add(name);
                }
            }
            sb.append('\n');
        }
        StringBuilder other = new StringBuilder();
        for (Map.Entry<String, CommandLine> e : subs.entrySet()) {
            if (!listed.contains(e.getKey())) {
                other.append(line(e.getKey(), e.getValue(), help.commandSpec().usageMessage().width()));
            }
        }
        if (other.length() > 0) {
            sb.append("Other:\n").append(other).append('\n');
        }
        return sb.toString();
    }

    /** One command's line: its summary wraps onto indented lines at {@code width} rather than being cut. */
    private static String line(String name, CommandLine c, int width) {
        String first = summary(c);
        String indent = " ".repeat(14);
        StringBuilder sb = new StringBuilder(String.format("  %-11s ", name));
        int col = sb.length();
        for (String word : first.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (col > indent.length() && col + 1 + word.length() > width) {
                sb.append(System.lineSeparator()).append(indent);
                col = indent.length();
            } else if (col > indent.length()) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.append(System.lineSeparator()).toString();
    }

    /** The first sentence of a command's description, whole (even when it runs over several lines). */
    static String summary(CommandLine c) {
        String[] d = c.getCommandSpec().usageMessage().description();
        // the description's lines are one text: a first sentence may run over several of them
        String first = String.join(" ", d).replace("%n", " ").strip().replaceAll("\\s+", " ");
        int dot = first.indexOf(". ");
        if (dot > 0) {
            first = first.substring(0, dot + 1);
        }
        return first;
    }
}
