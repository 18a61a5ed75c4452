package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CSV records through commons-csv: the start lines and fields the hand-written reader it replaced gave (the expected
 * strings are that reader's output, but for the lengths: now every character of the record in the file, its line end
 * included, where that reader counted a CRLF, a doubled quote and the end of the file as one), and its errors naming
 * file and line.
 */
class CsvRowsTest {
    /** "line[fields]" per record, with "line<chars>" for records longer than {@code cap}. */
    private static String rows(String text, long cap) throws Exception {
        CsvRows r = new CsvRows(text, "f");
        StringBuilder sb = new StringBuilder();
        CsvRows.Row row;
        while ((row = r.next()) != null) {
            sb.append(row.line()).append(row.chars() > cap ? "<" + row.chars() + ">" : row.fields()).append(' ');
        }
        return sb.toString();
    }

    @Test
    void linesFieldsAndLengthsAsBefore() throws Exception {
        assertEquals("1<4> 2[c, d] ", rows("a,b\nc,d", 3));
        assertEquals("1[a, b] 2[c, d] ", rows("a,b\nc,d", Long.MAX_VALUE));
        assertEquals("1<5> 2<5> ", rows("a,b\r\nc,d\r\n", 3));
        assertEquals("1[h] 2[] 3<8> 5[] 6<4> ", rows("h\n\n\"x\ny\",z\n\nlast", 3));
        assertEquals("1[h] 2[] 3[x\ny, z] 5[] 6[last] ", rows("h\n\n\"x\ny\",z\n\nlast", Long.MAX_VALUE));
        assertEquals("1<11> 2<4> ", rows("a,\"b\"\"c\",d\rq,r\n", 3));
        assertEquals("1[a, b\"c, d] 2[q, r] ", rows("a,\"b\"\"c\",d\rq,r\n", Long.MAX_VALUE));
        assertEquals("1[] 2[, ] ", rows("\"\"\n,\n", 3));
        assertEquals("1<17> 3[y] ", rows("x,\"multi\r\nline\"\r\ny\n", 3));
        assertEquals("1[x, multi\r\nline] 3[y] ", rows("x,\"multi\r\nline\"\r\ny\n", Long.MAX_VALUE));
        assertEquals("1<4> ", rows("only", 3));
        assertEquals("", rows("", 3));
    }

    @Test
    void badQuotingNamesFileAndLine() {
        MipeaksException open = assertThrows(MipeaksException.class, () -> rows("a,b\n\"open\nx", 100));
        assertEquals("f:2: unterminated quoted field", open.getMessage());
        assertEquals(ExitCode.INVALID_INPUT, open.exitCode());
        MipeaksException after = assertThrows(MipeaksException.class, () -> rows("a\nb,\"q\"x\n", 100));
        assertEquals("f:2: text after a closing quote", after.getMessage());
    }

    @Test
    void theRecordsBeforeAQuotingErrorComeFirst() throws Exception {
        CsvRows r = new CsvRows("h,x\na,b\n\"open", "f");
        assertEquals(List.of("h", "x"), r.next().fields());
        CsvRows.Row row = r.next();
        assertEquals(List.of("a", "b"), row.fields());
        assertEquals(4, row.chars());
        MipeaksException e = assertThrows(MipeaksException.class, r::next);
        assertEquals("f:3: unterminated quoted field", e.getMessage());
    }
}
