package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trigger sets from the paper's thinking-token table: the table's ids for its own vocabulary, mapped words otherwise. */
class TriggerSetTest {
    static final List<String> TOP10 = List.of("So", "Let", "Hmm", "I", "The", "Okay", "That", "First", "Now", "Wait");

    @TempDir
    Path tmp;

    static ThinkingTable table() {
        return ThinkingTable.read(SharedData.require("data/" + ThinkingTable.DEFAULT_RELATIVE));
    }

    @Test
    void topTenAlphabeticWordsOfThePapersTable() {
        List<String> words = table().topAlphabetic(10).stream().map(ThinkingTable.Entry::word).toList();
        assertEquals(TOP10, words);
        // the filter drops " ", "\n\n", "\\", "-", "1" ... and keeps 18 words in all
        assertEquals(18, table().topAlphabetic(-1).size());
    }

    @Test
    void llama3VocabularyUsesTheTablesIds() {
        Path dir = SharedData.require("tokenizers/llama3");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            TriggerSet t = TriggerSet.fromTable(table(), 10, 128256, tok, false);
            assertEquals("table", t.source());
            TreeSet<Integer> want = new TreeSet<>();
            table().topAlphabetic(10).forEach(e -> { for (int id : e.tokenIds()) { want.add(id); } });
            assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), t.ids());
            assertTrue(want.contains(14524) && want.contains(2100), "Wait and ' So' are triggers");
            // forced mapping: the tokenizer's own ids of the words (each decodes to the word)
            TriggerSet m = TriggerSet.fromTable(table(), 10, 128256, tok, true);
            assertEquals("mapped", m.source());
            assertDecodeToWords(m, tok);
            assertTrue(contains(m.ids(), 14524) && contains(m.ids(), 2100));
        }
    }

    @Test
    void anotherVocabularyMapsTheWords() {
        Path dir = SharedData.require("tokenizers/qwen3");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            // Qwen's vocabulary is larger than Llama 3's: every table id fits, but decodes to other text
            assertTrue(TriggerSet.tableMismatch(table().topAlphabetic(10), 151936, tok).contains("in the model's vocabulary"));
            TriggerSet t = TriggerSet.fromTable(table(), 10, 151936, tok, false);
            assertEquals("mapped", t.source());
            assertDecodeToWords(t, tok);
            assertTrue(t.ids().length >= 10, "at least one id per word, got " + t.ids().length);
        }
    }

    @Test
    void idsOutsideASmallVocabularyNeedATokenizer() {
        ThinkingTable table = table(); // outside assertThrows: without ../shared this skips, it must not fail
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> TriggerSet.fromTable(table, 10, 384, null, false));
        assertTrue(e.getMessage().contains("outside the model's vocabulary [0, 384)"), e.getMessage());
        assertTrue(e.getMessage().contains("--trigger-ids"), e.getMessage());
    }

    @Test
    void explicitIdsAreCheckedAgainstTheVocabulary() {
        assertArrayEquals(new int[] {1, 5, 9}, TriggerSet.explicit(new int[] {9, 1, 5, 9}, 10).ids());
        MipeaksException e = assertThrows(MipeaksException.class, () -> TriggerSet.explicit(new int[] {10}, 10));
        assertTrue(e.getMessage().contains("--trigger-ids: 10 outside"), e.getMessage());
    }

    @Test
    void badTableLinesNameFileLineAndField() throws Exception {
        Path f = tmp.resolve("t.jsonl");
        Files.writeString(f, "{\"word\":\"So\",\"freq\":3,\"token_ids\":[1]}\n{\"word\":\"Wait\",\"freq\":2}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> ThinkingTable.read(f));
        assertTrue(e.getMessage().contains("t.jsonl:2: field 'token_ids'"), e.getMessage());
    }

    private static void assertDecodeToWords(TriggerSet t, Tokenizer tok) {
        for (int id : t.ids()) {
            String s = tok.decode(id).trim();
            assertTrue(TOP10.contains(s), "id " + id + " decodes to '" + s + "'");
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
