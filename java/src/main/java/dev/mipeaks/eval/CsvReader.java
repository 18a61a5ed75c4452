package dev.mipeaks.eval;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks and doubled quotes
 * ({@code ""}). Records end with CRLF or LF. Used for the paper's math_train_12k.csv, whose solutions span lines.
 */
public final class CsvReader {
    /**
     * A parsed record and the 1-based line its first character is on (for error messages); a record longer than the
     * cap has no fields and {@code chars} says how long it was.
     */
    public record Row(long line, List<String> fields, long chars) {
        public Row(long line, List<String> fields) {
            this(line, fields, -1);
        }

        public boolean tooLong() {
            return chars >= 0;
        }
    }

    private final Reader in;
    private final String file;
    private final long maxChars;
    private long line = 1;
    private int pushback = -2;

    public CsvReader(Reader in, String file) {
        this(in, file, Long.MAX_VALUE);
    }

    /** A reader that parses records of more than {@code maxChars} characters to their end without keeping them. */
    public CsvReader(Reader in, String file, long maxChars) {
        this.in = in;
        this.file = file;
        this.maxChars = maxChars;
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        return in.read();
    }

    /** The next record, or null at end of input. A quoted field left open at end of file is an error. */
    public Row next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;      // inside a quoted field
        boolean wasQuoted = false;   // the current field started with a quote
        long chars = 0;
        while (true) {
            if (++chars > maxChars && fields != null) {
                fields = null;       // too long: parse on to the record's end, keep nothing
                f = new StringBuilder();
            }
            if (fields == null && f.length() > 0) {
                f.setLength(0);
            }
            if (quoted) {
                if (c == -1) {
                    throw MipeaksException.invalid(file + ":" + start + ": unterminated quoted field");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        f.append('"');
                    } else {
                        quoted = false;
                        pushback = d;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    f.append((char) c);
                }
            } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                if (fields != null) {
                    fields.add(f.toString());
                }
                f.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n' || c == -1) {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        pushback = d;
                    }
                }
                if (c != -1) {
                    line++;
                }
                if (fields == null) {
                    return new Row(start, List.of(), chars);
                }
                fields.add(f.toString());
                return new Row(start, fields);
            } else {
                if (wasQuoted) {
                    throw MipeaksException.invalid(file + ":" + line + ": text after a closing quote");
                }
                f.append((char) c);
            }
            c = read();
        }
    }
}
