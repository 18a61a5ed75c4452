package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DJL tokenizers offline on the real Llama 3 / Qwen3 vocabularies and the tiny byte-level ones. */
class TokenizerTest {
    private static final String TEXT = "Wait, so 2+2 = 4? Let's check: √16 = 4. Héllo 世界!\n\nSo the answer is \\boxed{4}.";

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void roundTrips(String name) {
        Path dir = SharedModels.tokenizer(name);
        try (Tokenizer t = Tokenizer.load(dir)) {
            int[] ids = t.encode(TEXT, false);
            assertTrue(ids.length > 10);
            assertEquals(TEXT, t.decode(ids, false));
            // every id decodes alone to the bytes of its piece; concatenation gives the text back
            for (int id : ids) {
                assertTrue(t.idToToken(id) != null, "id " + id + " has a piece");
            }
            // long input is not truncated (no 512-token default limit)
            String lng = TEXT.repeat(60);
            int[] many = t.encode(lng, false);
            assertTrue(many.length > 1000, "tokens " + many.length);
            assertEquals(lng, t.decode(many, false));
        }
    }

    @Test
    void llama3Pieces() {
        Path dir = SharedModels.tokenizer("llama3");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(" So", t.decode(2100));
            assertEquals("ĠSo", t.idToToken(2100));
            assertEquals(2100, t.tokenToId("ĠSo"));
            assertEquals("Wait", t.decode(14524));
            int[] so = t.idsOfWord("So");
            assertTrue(Arrays.stream(so).anyMatch(i -> i == 2100), Arrays.toString(so));
            assertTrue(Arrays.stream(so).anyMatch(i -> i == t.tokenToId("So")), Arrays.toString(so));
            for (int id : so) {
                String d = t.decode(id);
                assertTrue(d.equals("So") || d.equals(" So"), d);
            }
            assertTrue(t.vocabSize() >= 128256, "vocab " + t.vocabSize());
        }
    }

    @Test
    void byteLevelTinyTokenizer() {
        Path dir = SharedModels.model("tiny-qwen2");
        try (Tokenizer t = Tokenizer.load(dir)) {
            int[] ids = t.encode("ab", false);
            assertArrayEquals(new int[] {'a' + 5, 'b' + 5}, ids);
            assertEquals("ab", t.decode(ids, false));
            assertEquals("<|eos|>", t.idToToken(1));
        }
    }
}
