package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one token formatter: text in quotes with control characters escaped, then the id. */
class TokenTextTest {
    @Test
    void controlCharactersAreEscapedNotPrinted() {
        assertEquals("\"\\tSo\" (78012)", TokenText.show("\tSo", 78012));
        assertEquals("\"\\n\\n\" (271)", TokenText.show("\n\n", 271));
        assertEquals("\"\\x0b\" (11)", TokenText.show("\u000b", 11));   // a vertical tab is not "(space)"
        assertEquals("\"\\r\\n\"", TokenText.quote("\r\n"));
        assertEquals("\"\\x00\\x1b[0m\\x7f\\x85\"", TokenText.quote("\u0000\u001b[0m\u007f\u0085"));
        assertEquals("\"a\\\\b \\\"c\\\"\"", TokenText.quote("a\\b \"c\""));
        for (String s : new String[] {"\t", "\u000b", "\n\n", "\u0007x", "\u2028", "\u200b", "\ufeff", "\u00a0"}) {
            String shown = TokenText.show(s, 5);
            assertTrue(shown.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.LINE_SEPARATOR || c == 0xa0),
                    "raw control/invisible character in " + shown);
        }
        assertEquals("\"\\u200b\"", TokenText.quote("\u200b"));
        assertEquals("\"\\u00a0x\"", TokenText.quote("\u00a0x"));
    }

    @Test
    void spacesStaySpacesInsideTheQuotes() {
        assertEquals("\" \" (220)", TokenText.show(" ", 220));
        assertEquals("\"   \"", TokenText.quote("   "));
        assertEquals("\" So\"", TokenText.quote(" So"));
    }

    @Test
    void emptyDecodingsAreNamed() {
        assertEquals("(empty) (128001)", TokenText.show("", 128001));
        assertEquals("(empty)", TokenText.quote(null));
        assertTrue(TokenText.undecodable(""));
    }

    @Test
    void byteTokensKeepTheirReplacementCharacterAndId() {
        assertEquals("\"\uFFFD\" (226)", TokenText.show("\uFFFD", 226));
        assertTrue(TokenText.undecodable("\uFFFD"));
        assertTrue(TokenText.undecodable("a\uFFFD"));
        assertFalse(TokenText.undecodable(" So"));
        // a lone surrogate (half of an emoji) is escaped, a whole emoji is kept
        assertEquals("\"\\ud83d\"", TokenText.quote("\ud83d"));
        assertEquals("\"\ud83d\ude00\"", TokenText.quote("\ud83d\ude00"));
    }

    @Test
    void specialTokenShapes() {
        for (String s : new String[] {"<|eos|>", "<|endoftext|>", "<｜end▁of▁sentence｜>", "</s>", "<s>", "[SEP]",
                "<|im_end|>"}) {
            assertTrue(TokenText.looksSpecial(s), s);
        }
        for (String s : new String[] {"So", "<", "<think>", "a < b > c", "|", "<|", " Wait"}) {
            assertFalse(TokenText.looksSpecial(s), s);
        }
    }

    @Test
    void idListsAreShortened() {
        assertEquals("\"So\" (2100, 4516)", TokenText.show("So", new int[] {2100, 4516}));
        assertEquals("\"x\" (1, 2, 3, 4, +2 more)", TokenText.show("x", new int[] {1, 2, 3, 4, 5, 6}));
        assertEquals("\"x\"", TokenText.show("x", new int[0]));
    }
}
