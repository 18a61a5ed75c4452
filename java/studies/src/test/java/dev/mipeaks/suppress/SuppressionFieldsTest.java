package dev.mipeaks.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.study.RunFolder;
import org.junit.jupiter.api.Test;

/** Result lines count generated tokens as "generated_tokens"; lines of folders written before still read ("tokens"). */
class SuppressionFieldsTest {
    static JsonNode line(String json) throws Exception {
        return RunFolder.JSON.readTree(json);
    }

    @Test
    void generatedTokensUnderTheCurrentAndTheOldName() throws Exception {
        assertEquals(17, SuppressionRun.generatedTokens(line("{\"index\": 0, \"generated_tokens\": 17}")));
        assertEquals(12, SuppressionRun.generatedTokens(line("{\"index\": 0, \"tokens\": 12}")));      // old line
        assertEquals(17, SuppressionRun.generatedTokens(line("{\"generated_tokens\": 17, \"tokens\": 12}")));
        assertEquals(0, SuppressionRun.generatedTokens(line("{\"index\": 0}")));
    }
}
