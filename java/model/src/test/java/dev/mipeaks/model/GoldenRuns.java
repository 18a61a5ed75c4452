package dev.mipeaks.model;

import java.util.function.ObjIntConsumer;

/** The two ways the golden tests drive a shared model: teacher forcing of the golden's sequence, greedy decoding. */
final class GoldenRuns {
    private GoldenRuns() {
    }

    /** What greedy decoding chose and how long the session was at the end. */
    record Greedy(int[] ids, int sessionLength) {
    }

    /** The golden's full sequence teacher-forced through its model on {@code device} in {@code dtype}. */
    static DecodeSession.TeacherForced teacherForced(SharedModels.Golden g, String device, String dtype) {
        int[] seq = g.fullSequence();
        try (LlamaModel m = LlamaModel.load(g.dir(), new LlamaModel.Options(device, dtype));
             DecodeSession s = new DecodeSession(m, 1, seq.length)) {
            return s.prefillAll(seq);
        }
    }

    /**
     * Greedy decoding of the golden's prompt on {@code device} in {@code dtype}: a prefill, then one cached decode
     * step per token; {@code eachStep} sees the output that chose step t (the states of {@code layers}) and t.
     */
    static Greedy greedy(SharedModels.Golden g, String device, String dtype, int steps, int[] layers,
            ObjIntConsumer<DecodeSession.Output> eachStep) {
        int[] ids = new int[steps];
        try (LlamaModel m = LlamaModel.load(g.dir(), new LlamaModel.Options(device, dtype));
             DecodeSession s = new DecodeSession(m, 1, g.promptIds().length + steps)) {
            DecodeSession.Output out = s.prefill(new int[][] {g.promptIds()}, layers, null);
            for (int t = 0; t < steps; t++) {
                ids[t] = dev.mipeaks.TestMath.argmax(out.logits()[0]);
                eachStep.accept(out, t);
                if (t + 1 < steps) {
                    out = s.decode(new int[] {ids[t]}, layers, null);
                }
            }
            return new Greedy(ids, s.length());
        }
    }
}
