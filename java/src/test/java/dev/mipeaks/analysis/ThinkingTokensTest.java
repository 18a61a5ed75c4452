package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
