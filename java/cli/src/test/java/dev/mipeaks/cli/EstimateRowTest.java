package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** estimate's output lines as a record: the bytes of the ObjectNode code it replaces (kept here as the reference). */
class EstimateRowTest {
    @Test
    void writesTheTreeCodesBytes() throws IOException {
        EstimatorRegistry reg = EstimatorRegistry.load();
        Estimate[] values = {new Estimate(0.25, 9, 11), Estimate.of(Double.NaN), new Estimate(1e-300, 0, 4096)};
        for (Estimator e : new Estimator[] {reg.create("nhsic", Map.of("sigma", "median")),
                reg.create("cka-linear", Map.of()), reg.create("hsic", Map.of())}) {
            StringWriter want = new StringWriter();
            oldWriteRows(want, e, values);
            StringWriter got = new StringWriter();
            EstimateCommand.writeRows(got, e, values);
            assertEquals(want.toString(), got.toString());
        }
    }

    private static void oldWriteRows(Writer w, Estimator estimator, Estimate[] values) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < values.length; i++) {
            ObjectNode o = json.createObjectNode();
            o.put("row", i);
            o.put("estimator", estimator.name());
            o.put("value", values[i].value());
            if (values[i].rankX() >= 0) {
                o.put("rank_x", values[i].rankX());
                o.put("rank_y", values[i].rankY());
            }
            for (Map.Entry<String, Object> p : estimator.parameters().entrySet()) {
                o.putPOJO(p.getKey(), p.getValue());
            }
            w.write(json.writeValueAsString(o));
            w.write('\n');
        }
    }
}
