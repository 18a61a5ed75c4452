package dev.mipeaks.eval;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of an RFC 4180 CSV text (commons-csv: fields in double quotes may hold commas, line breaks and doubled
 * quotes; records end with CRLF, LF or CR), each with the 1-based line it starts on and its length in characters
 * (as it stands in the file, its line end included), so that errors name the line and over-long records can be
 * refused. Used for the paper's math_train_12k.csv, whose solutions span lines. A blank line is a record of one empty
 * field. A quoting error is thrown when the record it is in is asked for, after the records before it.
 */
final class CsvRows {
    /** A record, the line its first character is on, and its length in the file (quotes, commas, line end). */
    record Row(long line, List<String> fields, long chars) {
    }

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).build();

    private final String file;
    private final String text;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    /** lineStarts[k]: the offset just past the k-th line end (lineStarts[0] = 0). */
    private final long[] lineStarts;
    private boolean started;
    /** The record after the one last returned (read ahead: its start is where that one ends), or null. */
    private CSVRecord ahead;
    private long aheadLine;
    private long aheadAfter;
    private MipeaksException aheadError;

    CsvRows(String text, String file) throws IOException {
        this.file = file;
        this.text = text;
        this.parser = CSVParser.parse(new StringReader(text), FORMAT);
        this.records = parser.iterator();
        // line ends as commons-csv counts them (CR, LF, CRLF once), also inside quoted fields
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            }
            if (c == '\r' || c == '\n') {
                starts.add(i + 1L);
            }
        }
        lineStarts = starts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The next record, or null at the end of the text; malformed quoting is exit 2 naming file and line. */
    Row next() {
        if (!started) {
            started = true;
            fetch();
        }
        if (ahead == null) {
            if (aheadError != null) {
                throw aheadError;
            }
            return null;
        }
        CSVRecord r = ahead;
        long line = aheadLine;
        long after = aheadAfter;
        fetch(); // the next record's start is this one's end; its error is thrown at the next call
        int start = (int) r.getCharacterPosition();
        int end = ahead != null ? (int) ahead.getCharacterPosition()
                : aheadError != null ? (int) lineStarts[(int) after] : text.length();
        long chars = end - start;
        return new Row(line, r.toList(), chars);
    }

    private void fetch() {
        long before = parser.getCurrentLineNumber(); // line ends read so far: the record starts on the next line
        ahead = null;
        try {
            if (records.hasNext()) {
                ahead = records.next();
                aheadLine = before + 1;
                aheadAfter = parser.getCurrentLineNumber();
            }
        } catch (UncheckedIOException e) {
            String msg = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            aheadError = msg.contains("EOF")
                    ? MipeaksException.invalid(file + ":" + (before + 1) + ": unterminated quoted field")
                    : MipeaksException.invalid(file + ":" + parser.getCurrentLineNumber() + ": text after a closing quote");
        }
    }
}
