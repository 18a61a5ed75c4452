package dev.mipeaks.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decoding speed of the runtime as the commands use it: greedy decoding from a seeded random prompt, the argmax
 * taken in Java from the step's logits, every requested layer's state copied to the host at every step (what
 * {@code trace}/{@code run} record). Prints one Markdown row per batch size: tokens/s over the decode steps (prefill
 * excluded), milliseconds per step and, given the device's memory bandwidth, the fraction of the bound "every weight
 * byte read once per step" (weight bytes of the compute dtype / bandwidth).
 *
 * <pre>
 * java -cp mipeaks.jar:lib/* dev.mipeaks.model.DecodeBenchmark MODEL_DIR DEVICE DTYPE BATCHES STEPS [LAYERS] [GB_PER_S]
 *   e.g. /tmp/llama1b cuda bf16 1,8,32 256 all 4800
 * </pre>
 * LAYERS: all (default) or none. scripts/runtime-check.sh runs it on the GPU machine beside Hugging Face's generate.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    /** One measurement. */
    public record Result(int batch, int steps, double seconds, long weightBytes) {
        public double tokensPerSecond() {
            return batch * (double) steps / seconds;
        }

        /** Achieved fraction of the weight-streaming bound at {@code bytesPerSecond}. */
        public double boundFraction(double bytesPerSecond) {
            return (steps / seconds) * weightBytes / bytesPerSecond;
        }
    }

    /** Decodes {@code steps} tokens per row after a 32-token prefill and times the decode steps. */
    public static Result measure(LlamaModel m, int batch, int steps, boolean captureAll, long seed) {
        int prompt = 32;
        int vocab = m.config().vocabSize();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] prompts = new int[batch][prompt];
        for (int[] p : prompts) {
            for (int i = 0; i < prompt; i++) {
                p[i] = rnd.nextInt(vocab);
            }
        }
        int[] layers = captureAll ? java.util.stream.IntStream.range(0, m.config().numLayers()).toArray() : new int[0];
        try (DecodeSession s = new DecodeSession(m, batch, prompt + steps + 1)) {
            DecodeSession.Output out = s.prefill(prompts, layers, null);
            int[] next = new int[batch];
            // two warm-up steps (kernel selection, allocator) outside the timing
            for (int w = 0; w < 2; w++) {
                argmaxRows(out.logits(), next);
                out = s.decode(next, layers, null);
            }
            long t0 = System.nanoTime();
            for (int t = 0; t < steps - 2; t++) {
                argmaxRows(out.logits(), next);
                out = s.decode(next, layers, null);
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Result(batch, steps - 2, sec, m.weightBytes());
        }
    }

    private static void argmaxRows(float[][] logits, int[] into) {
        for (int b = 0; b < into.length; b++) {
            into[b] = LlamaModel.argmax(logits[b]);
        }
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: DecodeBenchmark MODEL_DIR DEVICE DTYPE BATCHES STEPS [all|none] [GB_PER_S]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int[] batches = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int steps = Integer.parseInt(args[4]);
        boolean all = args.length < 6 || !args[5].equals("none");
        double bw = args.length > 6 ? Double.parseDouble(args[6]) * 1e9 : Double.NaN;
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options(args[1], args[2]))) {
            System.out.printf(Locale.ROOT, "| model | device | dtype | batch | layers captured | tokens/s | ms/step | "
                    + "weight GB | HBM-bound fraction |%n|---|---|---|---|---|---|---|---|---|%n");
            for (int b : batches) {
                Result r = measure(m, b, steps, all, 1);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %.1f | %.2f | %.2f | %s |%n",
                        dir.getFileName(), args[1], m.dtypeName(), b, all ? "all " + m.config().numLayers() : "none",
                        r.tokensPerSecond(), 1000 * r.seconds() / r.steps(), r.weightBytes() / 1e9,
                        Double.isNaN(bw) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * r.boundFraction(bw)));
                System.out.flush();
            }
        }
    }
}
