package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.study.RunFolder;
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
            // every word of the Llama 3 vocabulary has ids: nothing unmapped, no warning; ids shown with their text
            assertTrue(m.unmapped().isEmpty());
            assertEquals(null, m.mappingWarning());
            String d = t.describe(tok);
            assertTrue(d.startsWith(t.ids().length + " trigger ids from 10 of 10 words (the table's ids): "), d);
            assertTrue(d.contains("\" So\" (2100)"), d);
        }
    }

    /**
     * A table written by this project (the peaks' rule for token_ids, {@code AnalysisWriter}) gives the same RR trigger
     * set as the reference builds from its shipped table for the same words: RR_evaluate.py takes the first 10
     * entries, in file order, whose word matches {@code ^[a-zA-Z]+$} and unites their token_ids.
     */
    @Test
    void aTableWeWriteGivesTheReferencesTriggerSet() throws Exception {
        Path shipped = SharedData.require("data/" + ThinkingTable.DEFAULT_RELATIVE);
        Path dir = SharedData.require("tokenizers/llama3");
        // the reference's procedure, on its own file
        TreeSet<Integer> reference = new TreeSet<>();
        int taken = 0;
        for (String line : Files.readAllLines(shipped)) {
            var n = RunFolder.JSON.readTree(line);
            if (taken < 10 && n.get("word").asText().matches("[a-zA-Z]+\\n?")) {
                taken++;
                n.get("token_ids").forEach(id -> reference.add(id.asInt()));
            }
        }
        try (Tokenizer tok = Tokenizer.load(dir)) {
            dev.mipeaks.analysis.ThinkingTokens counts = new dev.mipeaks.analysis.ThinkingTokens();
            for (ThinkingTable.Entry e : table().entries()) {
                for (long i = 0; i < e.freq(); i++) {
                    counts.add(e.word(), -1);
                }
            }
            Path ours = tmp.resolve("ours.jsonl");
            dev.mipeaks.analysis.AnalysisWriter.writeThinkingTokens(
                    counts.rows(new dev.mipeaks.analysis.TokenizerVocabulary(tok)), ours);
            TriggerSet t = TriggerSet.fromTable(ThinkingTable.read(ours), 10, 128256, tok, false);
            assertEquals("table", t.source());
            assertEquals(TOP10, t.words());
            assertArrayEquals(reference.stream().mapToInt(Integer::intValue).toArray(), t.ids());
            assertTrue(reference.contains(78012), "\"\\tSo\" is a trigger in the reference");
            // mapping the words through the tokenizer by the same rule gives the same set
            assertArrayEquals(t.ids(), TriggerSet.fromTable(ThinkingTable.read(ours), 10, 128256, tok, true).ids());
        }
    }

    @Test
    void rrAndTttsFiltersFollowPython(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"word\": \"So\\n\", \"freq\": 9, \"token_ids\": [1]}",
                "{\"word\": \"x1\", \"freq\": 8, \"token_ids\": [2]}",
                "{\"word\": \"Wait\", \"freq\": 1, \"token_ids\": [3]}",
                "{\"word\": \"Hmm\", \"freq\": 5, \"token_ids\": [4]}") + "\n");
        ThinkingTable t = ThinkingTable.read(f);
        // re.match('^[a-zA-Z]+$') accepts a final newline; re.fullmatch('[A-Za-z]+') does not; both keep file order
        assertEquals(List.of("So\n", "Wait"), t.rrTriggerWords(2).stream().map(ThinkingTable.Entry::word).toList());
        assertEquals(List.of("Wait", "Hmm"), t.topAlphabetic(-1).stream().map(ThinkingTable.Entry::word).toList());
    }

    @Test
    void wordsWithoutAnIdAreNamedAndWarnedAbout() {
        TriggerSet most = new TriggerSet(new int[] {40}, TOP10, "mapped", List.of("So", "Let", "Hmm", "The", "Okay",
                "That", "First", "Now", "Wait"));
        String w = most.mappingWarning();
        assertTrue(w != null && w.startsWith("9 of 10 trigger words have no single-token id"), w);
        assertTrue(most.describe(null).contains("1 trigger id from 1 of 10 words (mapped through the model's tokenizer): 40;"
                + " no single-token id: \"So\""), most.describe(null));
        TriggerSet half = new TriggerSet(new int[] {1, 2}, List.of("a", "b", "c", "d"), "mapped", List.of("c", "d"));
        assertEquals(null, half.mappingWarning(), "a warning only when most words have no id");
        assertEquals(null, TriggerSet.explicit(new int[] {3}, 10).mappingWarning());
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
