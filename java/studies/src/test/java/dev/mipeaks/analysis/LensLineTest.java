package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** lens.jsonl's lines as records: the bytes of the ObjectNode code they replace (kept here as the reference). */
class LensLineTest {
    private static final IntFunction<String> DECODE = id -> id == 3 ? "</b>\u0001" : id == 4 ? "" : " w" + id;

    @Test
    void writesTheTreeCodesBytes() throws Exception {
        List<LogitLens.LayerLens> cases = List.of(
                // peaks only: steps 2, 5, 9 lensed of 12; top-k largest first
                new LogitLens.LayerLens(3, "p/3", 7, 12, new int[] {2, 5, 9}, new int[] {3, 4, 8},
                        new int[] {3, 6, 8}, new int[] {5, 9}, new int[] {9, 2, 5}),
                // every step lensed: lens_ids of all steps
                new LogitLens.LayerLens(0, "p/0", 1, 3, new int[] {0, 1, 2}, new int[] {1, 1, 2},
                        new int[] {1, 0, 0}, new int[] {}, new int[] {2, 0}),
                // nothing lensed (no steps): agreement null
                new LogitLens.LayerLens(1, "p/1", 1, 0, new int[] {}, new int[] {}, new int[] {}, new int[] {},
                        new int[] {}));
        for (LogitLens.LayerLens ll : cases) {
            assertEquals(JsonFields.MAPPER.writeValueAsString(oldJson(ll, DECODE)),
                    JsonFields.MAPPER.writeValueAsString(LogitLens.json(ll, DECODE)));
        }
    }

    private static ObjectNode oldJson(LogitLens.LayerLens ll, java.util.function.IntFunction<String> decode) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("index", ll.index());
        o.put("id", ll.id());
        o.put("layer", ll.layer());
        o.put("steps", ll.totalSteps());
        o.put("lensed_steps", ll.steps().length);
        o.put("agreement", ll.steps().length == 0 ? null : (double) ll.agreeing() / ll.steps().length);
        oldPeaks(o.putObject("iqr"), ll, ll.iqrPeaks(), false, decode);
        oldPeaks(o.putObject("topk"), ll, ll.topkPeaks(), true, decode);
        if (ll.steps().length == ll.totalSteps() && ll.totalSteps() > 0) {
            ArrayNode all = o.putArray("lens_ids");
            for (int id : ll.lensIds()) {
                all.add(id);
            }
        }
        return o;
    }

    /** A rule's peaks in step order (top-k also with each step's rank, 1 = largest MI), aligned lists. */
    private static void oldPeaks(ObjectNode o, LogitLens.LayerLens ll, int[] steps, boolean ranked,
                              java.util.function.IntFunction<String> decode) {
        ArrayNode s = o.putArray("peak_steps");
        ArrayNode rk = ranked ? o.putArray("ranks") : null;
        ArrayNode gi = o.putArray("generated_ids");
        ArrayNode li = o.putArray("lens_ids");
        ArrayNode lt = o.putArray("lens_tokens");
        ArrayNode ls = o.putArray("lens_shown");
        for (int i : Peaks.stepOrder(steps)) {
            int step = steps[i];
            int id = ll.lensAt(step);
            s.add(step);
            if (rk != null) {
                rk.add(i + 1);
            }
            gi.add(ll.generatedIds()[java.util.Arrays.binarySearch(ll.steps(), step)]);
            li.add(id);
            String text = decode.apply(id);
            lt.add(text);
            ls.add(TokenText.show(text, id));
        }
    }

}
