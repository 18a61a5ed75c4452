package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * problems/NNNNN.json as the record written by Jackson: the bytes of the ObjectNode code it replaces (kept here as the
 * reference), and RunReader reads back the record written.
 */
class ProblemRecordJsonTest {
    @TempDir
    Path dir;

    /** The code writeProblem had before it wrote the record. */
    private static String oldJson(ProblemRecord p) throws Exception {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("index", p.index());
        o.put("id", p.id());
        o.put("problem", p.problem());
        o.put("answer", p.answer());
        o.put("response", p.response());
        o.put("stop_reason", p.stopReason());
        o.set("prompt_ids", JsonFields.MAPPER.valueToTree(p.promptIds()));
        o.set("token_ids", JsonFields.MAPPER.valueToTree(p.tokenIds()));
        o.set("tokens", JsonFields.MAPPER.valueToTree(p.tokens()));
        o.set("layers", JsonFields.MAPPER.valueToTree(p.layers()));
        o.put("estimator", p.estimator());
        ObjectNode mi = o.putObject("mi");
        for (Map.Entry<Integer, double[]> e : p.mi().entrySet()) {
            mi.set(Integer.toString(e.getKey()), JsonFields.MAPPER.valueToTree(e.getValue()));
        }
        return JsonFields.MAPPER.writeValueAsString(o) + "\n";
    }

    @Test
    void writesTheTreeCodesBytesAndReadsBackEqual() throws Exception {
        Map<Integer, double[]> mi = new LinkedHashMap<>();
        mi.put(7, new double[] {0.25, 1e-300, 3.0});
        mi.put(2, new double[] {1.0 / 3, 0, 12345.678});
        ProblemRecord p = new ProblemRecord(3, "test/a \"1\"", "What is x?\n\u00e9", "4", "x = 4", "eos",
                new int[] {1, 2}, new int[] {5, 6, 7}, List.of("x", " =", "\u0000"), List.of(7, 2), "nhsic", mi);
        String rel = RunWriter.writeProblem(dir, p);
        assertEquals(oldJson(p), Files.readString(dir.resolve(rel), StandardCharsets.UTF_8));
        ProblemRecord back = RunReader.readProblem(dir, new ManifestEntry(3, p.id(), RunLayout.STATUS_OK, null, rel),
                List.of(7, 2));
        assertEquals(List.of(p.index(), p.id(), p.problem(), p.answer(), p.response(), p.stopReason(), p.tokens(),
                p.layers(), p.estimator()), List.of(back.index(), back.id(), back.problem(), back.answer(),
                back.response(), back.stopReason(), back.tokens(), back.layers(), back.estimator()));
        assertArrayEquals(p.promptIds(), back.promptIds());
        assertArrayEquals(p.tokenIds(), back.tokenIds());
        for (int l : p.layers()) {
            assertArrayEquals(p.mi(l), back.mi(l));
        }
    }
}
