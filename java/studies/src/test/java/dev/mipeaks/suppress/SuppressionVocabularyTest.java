package dev.mipeaks.suppress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Words to ids, the thinking-token table, and the random control (on a small fake vocabulary and on Llama 3's). */
class SuppressionVocabularyTest {
    @TempDir
    Path tmp;

    static final List<String> FAKE = List.of("<s>", "So", " So", "\tSo", "the", " the", "  the", "x", " 1", "é", "Wait",
            " ", "  ", "So,", " Wait");

    @Test
    void wordIndexOnAFakeVocabulary() {
        WordIndex w = new WordIndex(FAKE);
        assertArrayEquals(new int[] {1, 2}, w.idsOfWord("So"));          // not "\tSo", not "So,"
        assertArrayEquals(new int[] {4, 5}, w.idsOfWord("the"));         // not "  the"
        assertArrayEquals(new int[] {11, 12}, w.idsOfWord(" "));         // " " and "  " (a space after a space)
        assertArrayEquals(new int[] {10, 14}, w.idsOfWord("Wait"));
        assertArrayEquals(new int[] {}, w.idsOfWord("Hmm"));
        assertEquals(List.of("So", "Wait", "the", "x"), w.wordLikeWords()); // no "1", "é", "So,", "<s>", spaces

        BitSet thinking = new BitSet();
        for (int id : w.idsOfWord("So")) {
            thinking.set(id);
        }
        RandomControl c = new RandomControl(w, thinking, 7);
        assertEquals(3, c.poolSize());
        assertEquals(1, c.excludedWords());
        assertEquals(Set.of("Wait", "the", "x"), new HashSet<>(c.words(3)));
        assertEquals(c.words(3).subList(0, 2), c.words(2));              // nested
        MipeaksException e = assertThrows(MipeaksException.class, () -> c.words(4));
        assertTrue(e.getMessage().contains("--top-words 4") && e.getMessage().contains("only 3"), e.getMessage());

        SuppressionPlan p = SuppressionPlan.build(TokenTable.list("So,Hmm,Wait"), w, List.of(2, 0), 7);
        assertEquals(List.of(0, 2), p.counts());
        assertEquals(3, p.conditions().size());
        Condition none = p.conditions().get(0);
        assertEquals("none-n0.jsonl", none.fileName());
        assertEquals(0, none.ids().length);
        Condition think = p.conditions().get(1);
        assertEquals(List.of("So", "Hmm"), think.words());
        assertArrayEquals(new int[] {1, 2}, think.ids());
        assertEquals(List.of("Hmm"), think.unmapped());
        Condition rnd = p.conditions().get(2);
        assertEquals("random-n2.jsonl", rnd.fileName());
        // "So" and "Wait" are thinking words (all of the list, not only the top 2), so only "the" and "x" remain
        assertEquals(Set.of("the", "x"), new HashSet<>(rnd.words()));
        assertArrayEquals(new int[] {4, 5, 7}, rnd.ids());
    }

    @Test
    void tokenTablesAndLists() throws Exception {
        Path t = tmp.resolve("t.jsonl");
        Files.writeString(t, "{\"word\": \"a\", \"freq\": 3}\n\n{\"word\": \"b\", \"freq\": 9, \"token_ids\": [1]}\n"
                + "{\"word\": \"c\", \"freq\": 3}\n");
        TokenTable tt = TokenTable.parse(t.toString());
        assertEquals(List.of("b", "a", "c"), tt.words());   // freq descending, file order among ties
        assertEquals(List.of("b", "a"), tt.top(2));
        assertThrows(MipeaksException.class, () -> tt.top(4));
        assertEquals(List.of("So", "Let", "Wait"), TokenTable.parse(" So, Let,,Wait,So").words());

        Files.writeString(t, "{\"word\": \"a\", \"freq\": 3}\n{\"word\": \"b\"}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> TokenTable.parse(t.toString()));
        assertEquals(t + ":2: field 'freq' must be an integer >= 0", e.getMessage());
        Files.writeString(t, "{\"word\": \"a\", \"freq\": 3}\n{\"word\": \"a\", \"freq\": 1}\n");
        e = assertThrows(MipeaksException.class, () -> TokenTable.parse(t.toString()));
        assertTrue(e.getMessage().startsWith(t + ":2: field 'word' repeats"), e.getMessage());
        Files.writeString(t, "{\"word\": \"a\", \"freq\": 3\n");
        e = assertThrows(MipeaksException.class, () -> TokenTable.parse(t.toString()));
        assertEquals(t + ":1: invalid JSON", e.getMessage());
        e = assertThrows(MipeaksException.class, () -> TokenTable.parse(tmp.resolve("none.jsonl").toString()));
        assertTrue(e.getMessage().contains("no such file"));
        assertThrows(MipeaksException.class, () -> TokenTable.parse(" , "));
    }

    /** On the Llama 3 vocabulary with the paper's table: the control never draws a thinking token, seeds behave. */
    @Test
    void randomControlOnLlama3NeverDrawsAThinkingToken() {
        Path dir = SharedData.require("tokenizers/llama3");
        Path table = SharedData.require("data/thinking-tokens/DeepSeek-R1-Distill-Llama-8B.jsonl");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            WordIndex idx = new WordIndex(tok.decodedVocabulary());
            TokenTable tt = TokenTable.readTable(table);
            assertEquals(30, tt.words().size());
            // the index is Tokenizer.idsOfWord, and the table's own Llama 3 ids are among each word's ids
            BitSet reference = new BitSet();
            for (String w : tt.words()) {
                int[] ids = tok.idsOfWord(w);
                assertArrayEquals(ids, idx.idsOfWord(w), w);
                for (int id : ids) {
                    reference.set(id);
                }
            }
            assertTrue(java.util.Arrays.stream(idx.idsOfWord("So")).anyMatch(i -> i == 2100));
            assertArrayEquals(tok.idsOfWord("Therefore"), idx.idsOfWord("Therefore"));

            List<List<String>> drawn = new ArrayList<>();
            for (long seed : new long[] {0, 1, 2}) {
                SuppressionPlan p = SuppressionPlan.build(tt, idx, List.of(0, 5, 10, 20), seed);
                assertEquals(reference, p.thinkingIds());
                List<String> prev = List.of();
                for (Condition c : p.conditions()) {
                    if (c.name().equals(Condition.THINKING)) {
                        assertEquals(tt.top(c.n()), c.words());
                    }
                    if (!c.name().equals(Condition.RANDOM)) {
                        continue;
                    }
                    assertEquals(c.n(), c.words().size());
                    assertEquals(c.n(), new HashSet<>(c.words()).size());
                    assertTrue(c.unmapped().isEmpty());
                    assertEquals(prev, c.words().subList(0, prev.size()));   // nested over N
                    prev = c.words();
                    for (String w : c.words()) {
                        assertTrue(w.matches("[A-Za-z]+"), w);
                        assertFalse(tt.words().contains(w), w);
                        for (int id : tok.idsOfWord(w)) {
                            assertFalse(reference.get(id), w + " id " + id + " is a thinking id");
                        }
                    }
                    for (int id : c.ids()) {
                        assertFalse(reference.get(id), "masked id " + id);
                        String d = WordIndex.word(tok.decode(id));
                        assertTrue(c.words().contains(d), "id " + id + " decodes to '" + d + "'");
                    }
                }
                drawn.add(prev);
                // the same seed gives the same control set
                SuppressionPlan again = SuppressionPlan.build(tt, idx, List.of(20), seed);
                assertEquals(prev, again.conditions().get(1).words());
            }
            assertNotEquals(drawn.get(0), drawn.get(1));
            assertNotEquals(drawn.get(1), drawn.get(2));
            assertNotEquals(drawn.get(0), drawn.get(2));
            System.out.println("random control, seed 0, N=20: " + drawn.get(0));
        }
    }
}
