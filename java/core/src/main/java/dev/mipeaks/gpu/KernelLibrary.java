package dev.mipeaks.gpu;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled kernels: per module a PTX text (JIT-compiled by the driver) and cubins per SM version. Built-in
 * modules come from the classpath ({@code dev/mipeaks/gpu/kernels/}, put there by the Maven build when nvcc was
 * found); extra modules from the paths in system property {@code mipeaks.kernels} or environment variable
 * {@code MIPEAKS_KERNELS} (separated by the path separator): a directory with {@code kernels.list}, a
 * {@code .ptx} file, or a {@code .cu} file compiled here with nvcc.
 */
public final class KernelLibrary {
    static final String RESOURCE_DIR = "/dev/mipeaks/gpu/kernels/";
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_$]*)");

    /** One module: name, PTX text, cubins by SM ("90" -> bytes), and the entry points found in the PTX. */
    public record Module(String name, String source, String ptx, Map<String, byte[]> cubins, List<String> entries) {
    }

    private final List<Module> modules;
    private final List<String> problems;

    private KernelLibrary(List<Module> modules, List<String> problems) {
        this.modules = modules;
        this.problems = problems;
    }

    /** Built-in kernels plus the configured extra paths. */
    public static KernelLibrary load() {
        List<Module> mods = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        loadBuiltin(mods, problems);
        String extra = System.getProperty("mipeaks.kernels", System.getenv("MIPEAKS_KERNELS"));
        if (extra != null && !extra.isBlank()) {
            for (String p : extra.split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    mods.addAll(loadPath(Path.of(p.trim())));
                }
            }
        }
        return new KernelLibrary(List.copyOf(mods), List.copyOf(problems));
    }

    /** True when at least one module is present. */
    public boolean isBuilt() {
        return !modules.isEmpty();
    }

    public List<Module> modules() {
        return modules;
    }

    public List<String> problems() {
        return problems;
    }

    /** All entry points, in module order. */
    public List<String> entries() {
        List<String> out = new ArrayList<>();
        modules.forEach(m -> out.addAll(m.entries()));
        return out;
    }

    /**
     * The kernel ABI version a module's PTX declares ({@code mipeaks_abi_version} in {@code kernels/mipeaks_abi.h});
     * 1 for modules built before it was declared.
     */
    public static int abiVersion(String ptx) {
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("\\bmipeaks_abi_version\\s*=\\s*(\\d+)").matcher(ptx);
        return mt.find() ? Integer.parseInt(mt.group(1)) : 1;
    }

    /** The module defining {@code entry} (later modules override earlier ones: user kernels win). */
    public Module moduleFor(String entry) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            if (modules.get(i).entries().contains(entry)) {
                return modules.get(i);
            }
        }
        throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "kernel entry point '" + entry + "' not found in "
                + (modules.isEmpty() ? "any module (kernels not built: nvcc was not found at build time)" : "the kernels " + names()));
    }

    private List<String> names() {
        return modules.stream().map(Module::name).toList();
    }

    static List<String> entriesOf(String ptx) {
        List<String> out = new ArrayList<>();
        Matcher mt = ENTRY.matcher(ptx);
        while (mt.find()) {
            out.add(mt.group(1));
        }
        return out;
    }

    private static void loadBuiltin(List<Module> mods, List<String> problems) {
        String list = resourceText(RESOURCE_DIR + "kernels.list");
        if (list == null) {
            problems.add("kernels not built (no " + RESOURCE_DIR + "kernels.list on the classpath: nvcc was not found at build time)");
            return;
        }
        for (String name : list.split("\\R")) {
            name = name.trim();
            if (name.isEmpty()) {
                continue;
            }
            String ptx = resourceText(RESOURCE_DIR + name + ".ptx");
            if (ptx == null) {
                problems.add("kernels.list names " + name + " but " + name + ".ptx is missing");
                continue;
            }
            Map<String, byte[]> cubins = new LinkedHashMap<>();
            for (String sm : new String[] {"80", "86", "89", "90", "100", "120"}) {
                byte[] b = resourceBytes(RESOURCE_DIR + name + ".sm_" + sm + ".cubin");
                if (b != null) {
                    cubins.put(sm, b);
                }
            }
            mods.add(new Module(name, "classpath:" + RESOURCE_DIR + name, ptx, cubins, entriesOf(ptx)));
        }
    }

    /** A directory with kernels.list, a .ptx file, or a .cu file (compiled to PTX with nvcc). */
    static List<Module> loadPath(Path p) {
        try {
            if (Files.isDirectory(p)) {
                List<Module> out = new ArrayList<>();
                Path list = p.resolve("kernels.list");
                List<String> names = Files.exists(list) ? Files.readAllLines(list)
                        : Files.list(p).map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ptx"))
                                .map(f -> f.substring(0, f.length() - 4)).sorted().toList();
                for (String n : names) {
                    if (n.isBlank()) {
                        continue;
                    }
                    Path ptxFile = p.resolve(n.trim() + ".ptx");
                    String ptx = Files.readString(ptxFile);
                    Map<String, byte[]> cubins = new LinkedHashMap<>();
                    try (var files = Files.list(p)) {
                        for (Path f : files.toList()) {
                            String fn = f.getFileName().toString();
                            String pre = n.trim() + ".sm_";
                            if (fn.startsWith(pre) && fn.endsWith(".cubin")) {
                                cubins.put(fn.substring(pre.length(), fn.length() - 6), Files.readAllBytes(f));
                            }
                        }
                    }
                    out.add(new Module(n.trim(), ptxFile.toString(), ptx, cubins, entriesOf(ptx)));
                }
                return out;
            }
            String fn = p.getFileName().toString();
            if (fn.endsWith(".ptx")) {
                String ptx = Files.readString(p);
                return List.of(new Module(fn.substring(0, fn.length() - 4), p.toString(), ptx, Map.of(), entriesOf(ptx)));
            }
            if (fn.endsWith(".cu")) {
                String ptx = compileCu(p);
                return List.of(new Module(fn.substring(0, fn.length() - 3), p.toString(), ptx, Map.of(), entriesOf(ptx)));
            }
            throw MipeaksException.invalid("kernel path " + p + ": expected a directory, a .ptx or a .cu file");
        } catch (IOException e) {
            throw MipeaksException.invalid("kernel path " + p + ": " + e.getMessage(), e);
        }
    }

    /** nvcc -ptx; the include path has the directory of the file and, when found, the repository's kernels/. */
    static String compileCu(Path cu) throws IOException {
        Path out = Files.createTempFile("mipeaks-", ".ptx");
        try {
            List<String> cmd = new ArrayList<>(List.of("nvcc", "-ptx", "-O3", "-arch=compute_80",
                    "-I" + cu.toAbsolutePath().getParent(), cu.toString(), "-o", out.toString()));
            String inc = System.getProperty("mipeaks.kernels.include");
            if (inc != null) {
                cmd.add(3, "-I" + inc);
            }
            Process pr;
            try {
                pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, cu + ": nvcc not found to compile it (give a .ptx instead)");
            }
            String log = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = pr.waitFor(300, TimeUnit.SECONDS);
            if (!done || pr.exitValue() != 0) {
                pr.destroyForcibly();
                String first = log.lines().filter(l -> l.contains("error")).findFirst().orElse(log.strip());
                throw MipeaksException.invalid(cu + ": nvcc failed: " + first);
            }
            return Files.readString(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MipeaksException(ExitCode.INTERRUPTED, "interrupted while compiling " + cu);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static byte[] resourceBytes(String name) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static String resourceText(String name) {
        byte[] b = resourceBytes(name);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
