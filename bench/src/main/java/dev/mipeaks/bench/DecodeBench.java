package dev.mipeaks.bench;

import dev.mipeaks.io.DType;
import dev.mipeaks.model.DecodeSession;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.NativeRuntime;
import dev.mipeaks.model.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Decoding speed of the LibTorch runtime on a random ~100M-parameter Llama (hidden 768, 12 layers, 12/4 heads,
 * intermediate 2048, vocab 32000, untied head, float32), next to the memory-bandwidth bound:
 * bytes a step must stream (every weight except the embedding table, of which one row is read) divided by a
 * measured copy bandwidth (LibTorch copy_ of 512 MiB, in bytes copied per second; STREAM would count the bytes
 * read plus written, twice that). A read-only bandwidth (sum of 512 MiB) is printed beside it.
 *
 * <p>Fixed cost per step (Java, JNI, LibTorch dispatch): the same step on a model with the same layer and head
 * structure but tiny matrices (hidden 96, intermediate 128, vocab 256), where arithmetic and memory traffic are
 * negligible; its step time is an upper bound of the Java-side overhead. The Java-side share proper comes from a JFR
 * profile of the batch-1 decode (samples of the decoding thread in Java code vs inside native calls).
 *
 * <pre>
 * mvn -q -o -pl java,bench package -DskipTests
 * java -Xmx2g -cp "bench/target/mipeaks-bench.jar:bench/target/lib/*" dev.mipeaks.bench.DecodeBench [dir] [steps] [threads]
 * </pre>
 * dir (default bench/target/llama100m) caches the random checkpoint between runs.
 */
public final class DecodeBench {
    private static final int PROMPT = 16;

    private DecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/target/llama100m");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        NativeRuntime.loadTorch();
        if (args.length > 2) {
            NativeRuntime.threads(Integer.parseInt(args[2]));
        }
        System.out.printf(Locale.ROOT, "LibTorch threads: %d (cores: %d)%n", torch.get_num_threads(),
                Runtime.getRuntime().availableProcessors());
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            long t0 = System.nanoTime();
            RandomCheckpoint.write(dir, RandomCheckpoint.Shape.llama100m(), DType.F32, 42);
            System.out.printf(Locale.ROOT, "wrote random checkpoint %s in %.1f s%n", dir, (System.nanoTime() - t0) / 1e9);
        }
        double[] bws = bandwidths();
        double bw = bws[0];
        System.out.printf(Locale.ROOT, "copy bandwidth: %.2f GB/s copied (%.2f GB/s read + written, STREAM's count);"
                + " read-only (sum): %.2f GB/s%n", bw / 1e9, 2 * bw / 1e9, bws[1] / 1e9);

        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            ModelConfig c = m.config();
            long embedBytes = 4L * c.vocabSize() * c.hiddenSize();
            long streamed = m.weightBytes() - (c.tieWordEmbeddings() ? 0 : embedBytes);
            double bound = bw / streamed;
            System.out.printf(Locale.ROOT, "model: %.1fM parameters, %.1f MB streamed per step -> bound %.1f tokens/s"
                    + " (copy), %.1f tokens/s (read-only)%n", c.parameterCount() / 1e6, streamed / 1e6, bound,
                    bws[1] / streamed);
            double[] b1 = decode(m, 1, steps);
            double tps1 = 1e9 / b1[0];
            System.out.printf(Locale.ROOT, "batch 1: median step %.2f ms (min %.2f) -> %.1f tokens/s = %.0f%% of bound%n",
                    b1[0] / 1e6, b1[1] / 1e6, tps1, 100 * tps1 / bound);
            double[] b8 = decode(m, 8, steps);
            double tps8 = 8e9 / b8[0];
            System.out.printf(Locale.ROOT, "batch 8: median step %.2f ms (min %.2f) -> %.1f tokens/s (%.1fx batch 1)%n",
                    b8[0] / 1e6, b8[1] / 1e6, tps8, tps8 / tps1);

            Path tiny = dir.resolveSibling(dir.getFileName() + "-structure");
            if (!Files.exists(tiny.resolve("model.safetensors"))) {
                RandomCheckpoint.write(tiny, new RandomCheckpoint.Shape(96, 128, c.numLayers(), c.numHeads(),
                        c.numKvHeads(), 256), DType.F32, 7);
            }
            try (LlamaModel t = LlamaModel.load(tiny, LlamaModel.Options.defaults())) {
                double[] o = decode(t, 1, steps * 4);
                System.out.printf(Locale.ROOT, "fixed cost per step (same graph, tiny tensors): median %.3f ms = %.1f%%"
                        + " of the batch-1 step%n", o[0] / 1e6, 100 * o[0] / b1[0]);
            }
            profile(m, steps);
        }
    }

    /** Median and minimum nanoseconds of a decode step (after a prefill and warm-up steps). */
    private static double[] decode(LlamaModel m, int batch, int steps) {
        int warm = 8;
        int[][] prompts = new int[batch][PROMPT];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < PROMPT; i++) {
                prompts[b][i] = 3 + (b * 31 + i * 7) % (m.config().vocabSize() - 3);
            }
        }
        long[] times = new long[steps];
        int[] none = new int[0];
        try (DecodeSession s = new DecodeSession(m, batch, PROMPT + warm + steps + 1)) {
            DecodeSession.Output out = s.prefill(prompts, none, null);
            for (int i = 0; i < warm + steps; i++) {
                int[] next = new int[batch];
                for (int b = 0; b < batch; b++) {
                    next[b] = argmax(out.logits()[b]);
                }
                long t0 = System.nanoTime();
                out = s.decode(next, none, null);
                if (i >= warm) {
                    times[i - warm] = System.nanoTime() - t0;
                }
            }
        }
        Arrays.sort(times);
        return new double[] {times[steps / 2], times[0]};
    }

    /**
     * Where the decoding thread spends its time, from JFR's samplers: jdk.ExecutionSample fires while it runs Java
     * code, jdk.NativeMethodSample while it is inside a native call (LibTorch, including the kernels it runs on
     * that thread). The Java share is the Java-side overhead of a step.
     */
    private static void profile(LlamaModel m, int steps) throws Exception {
        Path file = Files.createTempFile("decode", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(2));
            r.start();
            decode(m, 1, steps);
            r.stop();
            r.dump(file);
        }
        String me = Thread.currentThread().getName();
        long java = 0;
        long nat = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            RecordedThread t = e.getThread("sampledThread");
            if (t == null || !me.equals(t.getJavaName())) {
                continue;
            }
            if (e.getEventType().getName().equals("jdk.ExecutionSample")) {
                java++;
            } else {
                nat++;
            }
        }
        Files.deleteIfExists(file);
        System.out.printf(Locale.ROOT, "JFR samples of the decoding thread (batch 1): %d in Java, %d in native calls"
                + " -> Java-side share %.1f%%%n", java, nat, 100.0 * java / Math.max(1, java + nat));
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Best of 5 runs over 512 MiB float tensors with LibTorch's threads: copy (bytes copied per second, each byte
     * read once and written once) and a sum (bytes read per second).
     */
    private static double[] bandwidths() {
        try (PointerScope scope = new PointerScope()) {
            long n = 128L << 20;
            Tensor src = torch.ones(n);
            Tensor dst = torch.zeros(n);
            dst.copy_(src);
            long copy = Long.MAX_VALUE;
            long read = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                dst.copy_(src);
                copy = Math.min(copy, System.nanoTime() - t0);
                t0 = System.nanoTime();
                try (PointerScope s = new PointerScope()) {
                    torch.sum(src);
                }
                read = Math.min(read, System.nanoTime() - t0);
            }
            return new double[] {4.0 * n / (copy / 1e9), 4.0 * n / (read / 1e9)};
        }
    }
}
