package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThinkingTokensTest {
    /** id -> text; id 6 is a raw byte-level piece with the Ġ marker. */
    static final String[] VOCAB = {"So", " So", "\tSo", "Wait", " ", "  ", "ĠWait", "\n\n", "x"};

    static final Vocabulary FAKE = new ArrayVocabulary(VOCAB);

    @Test
    void wordStripsLeadingWhitespaceOtherThanNewlines() {
        assertEquals("So", ThinkingTokens.word(" So"));
        assertEquals("So", ThinkingTokens.word("ĠSo"));
        assertEquals("So", ThinkingTokens.word("\tSo"));
        assertEquals("So", ThinkingTokens.word(" \u00a0\r So"));
        assertEquals(" ", ThinkingTokens.word(" "));
        assertEquals("  ", ThinkingTokens.word("  "));
        assertEquals("\n\n", ThinkingTokens.word("\n\n"));
        assertEquals("\n\n", ThinkingTokens.word(" \n\n"));
        assertEquals("\n", ThinkingTokens.word("\\n"));
        assertEquals("", ThinkingTokens.key(" "));
        assertEquals("\nSo", ThinkingTokens.key("\t\nSo"));
    }

    /** The tokens seen at peaks, given as pairs: word (String), token id (int). */
    static ThinkingTokens seen(Object... wordIdPairs) {
        ThinkingTokens t = new ThinkingTokens();
        for (int i = 0; i < wordIdPairs.length; i += 2) {
            t.add((String) wordIdPairs[i], (Integer) wordIdPairs[i + 1]);
        }
        return t;
    }

    @Test
    void countsSortsAndFindsVocabularyIds() {
        ThinkingTokens t = seen(" So", 1, "So", 0, " So", 1, "Wait", 3, "\n\n", 7, " ", 4);
        assertEquals(6, t.total());

        List<ThinkingTokens.Row> withVocab = t.rows(FAKE);
        assertEquals(List.of("So", "\n\n", " ", "Wait"), withVocab.stream().map(ThinkingTokens.Row::word).toList());
        assertEquals(3, withVocab.get(0).freq());
        assertArrayEquals(new int[]{0, 1, 2}, withVocab.get(0).tokenIds());  // "\tSo" too
        assertArrayEquals(new int[]{}, withVocab.get(2).tokenIds());         // a lone space lists no id
        assertArrayEquals(new int[]{3, 6}, withVocab.get(3).tokenIds());     // "Wait" and "ĠWait"

        List<ThinkingTokens.Row> seen = t.rows(null);
        assertArrayEquals(new int[]{0, 1}, seen.get(0).tokenIds());
        assertArrayEquals(new int[]{3}, seen.get(3).tokenIds());             // only what was seen at peaks
    }

    /** ids 0-3 are text, 4-6 lone bytes ("\uFFFD"), 7 an empty decoding, 8 a special token per the tokenizer. */
    static final String[] BYTES = {"So", " So", "Wait", "x", "\uFFFD", "\uFFFD", "\uFFFD", "", "<|eot_id|>"};

    static final Vocabulary WITH_SPECIAL = new ArrayVocabulary(BYTES, Set.of(8));

    @Test
    void undecodableTokensGetOneRowPerIdNotOneLumpedRow() {
        // id 300 is beyond the vocabulary (a random model's id): still listed with its id
        ThinkingTokens t = seen("\uFFFD", 4, "\uFFFD", 4, "\uFFFD", 5, "", 7, "", 300, " So", 1);
        for (Vocabulary v : new Vocabulary[] {null, WITH_SPECIAL}) {
            List<ThinkingTokens.Row> rows = t.rows(v);
            assertEquals(List.of("\uFFFD", "", "", "So", "\uFFFD"), rows.stream().map(ThinkingTokens.Row::word).toList(),
                    String.valueOf(v));
            assertArrayEquals(new int[] {4}, rows.get(0).tokenIds());        // not every id that decodes to "\uFFFD"
            assertEquals(2, rows.get(0).freq());
            assertArrayEquals(new int[] {7}, rows.get(1).tokenIds());
            assertArrayEquals(new int[] {300}, rows.get(2).tokenIds());      // never token_ids: []
            assertArrayEquals(new int[] {5}, rows.get(4).tokenIds());
            assertEquals("(empty) (7)", rows.get(1).shown());
        }
        assertArrayEquals(new int[] {0, 1}, t.rows(WITH_SPECIAL).get(3).tokenIds());
    }

    @Test
    void specialTokensAreLeftOutUnlessIncluded() {
        for (boolean include : new boolean[] {false, true}) {
            ThinkingTokens t = new ThinkingTokens(include);
            t.add(" So", 1);
            t.add(" So", 1);
            t.add("<|eot_id|>", 8);          // special per the vocabulary (and by its shape)
            t.add("Wait", 2, true);         // flagged by the caller: e.g. the EOS a run stopped on
            t.add("<|eos|>", 99);           // no vocabulary entry: special by its shape
            assertEquals(5, t.total());
            List<String> words = t.rows(WITH_SPECIAL).stream().map(ThinkingTokens.Row::word).toList();
            if (include) {
                assertEquals(List.of("So", "<|eos|>", "<|eot_id|>", "Wait"), words);
                assertEquals(0, t.excluded(WITH_SPECIAL));
            } else {
                assertEquals(List.of("So"), words);
                assertEquals(3, t.excluded(WITH_SPECIAL));
                assertEquals(3, t.excluded(null));
            }
        }
        // the vocabulary alone marks an id special: a plain-looking text is left out when its id is special
        ThinkingTokens t = new ThinkingTokens();
        t.add("end", 8);
        assertTrue(t.rows(WITH_SPECIAL).isEmpty());
        assertEquals(1, t.rows(null).size());
    }

    /**
     * The rule reproduces the paper's table: for every row of the shipped DeepSeek-R1-Distill-Llama-8B table, the ids
     * of its word in the Llama 3 vocabulary are exactly the row's token_ids ("\tSo" = 78012, sixteen ids for
     * "\n\n", none for " ", and id 1734, the two characters backslash-n, for "\n").
     */
    @Test
    void reproducesTheShippedTableRowByRow() throws Exception {
        Path table = SharedData.require("data/thinking-tokens/DeepSeek-R1-Distill-Llama-8B.jsonl");
        Path dir = SharedData.require("tokenizers/llama3");
        List<JsonNode> rows = new ArrayList<>();
        for (String s : Files.readAllLines(table)) {
            rows.add(JsonFields.MAPPER.readTree(s));
        }
        assertEquals(30, rows.size());
        try (Tokenizer tok = Tokenizer.load(dir)) {
            Vocabulary vocab = new TokenizerVocabulary(tok);
            ThinkingTokens t = new ThinkingTokens();
            for (JsonNode r : rows) {
                for (long i = 0; i < r.get("freq").asLong(); i++) {
                    t.add(r.get("word").asText(), -1);
                }
            }
            Map<String, ThinkingTokens.Row> ours = new HashMap<>();
            t.rows(vocab).forEach(r -> ours.put(r.word(), r));
            assertEquals(30, ours.size());
            for (JsonNode r : rows) {
                String w = r.get("word").asText();
                int[] want = new int[r.get("token_ids").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = r.get("token_ids").get(i).asInt();
                }
                Arrays.sort(want);
                ThinkingTokens.Row row = ours.get(w);
                assertEquals(r.get("freq").asLong(), row.freq(), w);
                assertArrayEquals(want, row.tokenIds(), "row " + JsonFields.MAPPER.writeValueAsString(w));
                assertArrayEquals(want, ThinkingTokens.idsOfWord(vocab, w), w);
            }
            assertArrayEquals(new int[] {2100, 4516, 78012}, ours.get("So").tokenIds());
            assertEquals(16, ours.get("\n\n").tokenIds().length);
            assertEquals(0, ours.get(" ").tokenIds().length);
        }
    }
}
