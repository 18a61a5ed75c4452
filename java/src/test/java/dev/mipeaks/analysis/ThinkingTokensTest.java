package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkingTokensTest {
    /** id -> text; id 6 is a raw byte-level piece with the Ġ marker. */
    static final String[] VOCAB = {"So", " So", "\tSo", "Wait", " ", "  ", "ĠWait", "\n\n", "x"};

    static final Vocabulary FAKE = new Vocabulary() {
        @Override
        public int size() {
            return VOCAB.length;
        }

        @Override
        public String decode(int id) {
            return VOCAB[id];
        }
    };

    @Test
    void wordStripsOneLeadingSpaceOrMarker() {
        assertEquals("So", ThinkingTokens.word(" So"));
        assertEquals("So", ThinkingTokens.word("ĠSo"));
        assertEquals("\tSo", ThinkingTokens.word("\tSo"));
        assertEquals(" ", ThinkingTokens.word(" "));
        assertEquals(" ", ThinkingTokens.word("  "));
        assertEquals("\n\n", ThinkingTokens.word("\n\n"));
    }

    @Test
    void countsSortsAndFindsVocabularyIds() {
        ThinkingTokens t = new ThinkingTokens();
        t.add(" So", 1);
        t.add("So", 0);
        t.add(" So", 1);
        t.add("Wait", 3);
        t.add("\n\n", 7);
        t.add(" ", 4);
        assertEquals(6, t.total());

        List<ThinkingTokens.Row> withVocab = t.rows(FAKE);
        assertEquals(List.of("So", "\n\n", " ", "Wait"), withVocab.stream().map(ThinkingTokens.Row::word).toList());
        assertEquals(3, withVocab.get(0).freq());
        assertArrayEquals(new int[]{0, 1}, withVocab.get(0).tokenIds());     // not "\tSo"
        assertArrayEquals(new int[]{4, 5}, withVocab.get(2).tokenIds());      // ties by word: "\n\n" < " "
        assertArrayEquals(new int[]{3, 6}, withVocab.get(3).tokenIds());     // "Wait" and "ĠWait"

        List<ThinkingTokens.Row> seen = t.rows(null);
        assertArrayEquals(new int[]{0, 1}, seen.get(0).tokenIds());
        assertArrayEquals(new int[]{3}, seen.get(3).tokenIds());             // only what was seen at peaks
    }

    /** ids 0-3 are text, 4-6 lone bytes ("\uFFFD"), 7 an empty decoding, 8 a special token per the tokenizer. */
    static final String[] BYTES = {"So", " So", "Wait", "x", "\uFFFD", "\uFFFD", "\uFFFD", "", "<|eot_id|>"};

    static final Vocabulary WITH_SPECIAL = new Vocabulary() {
        @Override
        public int size() {
            return BYTES.length;
        }

        @Override
        public String decode(int id) {
            return BYTES[id];
        }

        @Override
        public boolean special(int id) {
            return id == 8;
        }
    };

    @Test
    void undecodableTokensGetOneRowPerIdNotOneLumpedRow() {
        ThinkingTokens t = new ThinkingTokens();
        t.add("\uFFFD", 4);
        t.add("\uFFFD", 4);
        t.add("\uFFFD", 5);
        t.add("", 7);
        t.add("", 300);           // beyond the vocabulary (a random model's id): still listed with its id
        t.add(" So", 1);
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
}
