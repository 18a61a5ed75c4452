package dev.mipeaks.eval;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a text file (ended by LF, CR LF or CR, as {@link java.io.BufferedReader#readLine} splits them) with a cap
 * on their length: a longer line is read to its end but not kept, so one huge line costs no more memory than the
 * cap, and the caller can name it.
 */
final class LineReader {
    /** A line: its text, or null when it has more than the cap's characters ({@code length} says how many). */
    record Line(String text, long length) {
        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int max;
    private final char[] buf = new char[1 << 14];
    private int pos;
    private int len;
    private boolean skipLf;

    LineReader(Reader in, int maxChars) {
        this.in = in;
        this.max = maxChars;
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /** The next line without its terminator, or null at the end of the input. */
    Line next() throws IOException {
        StringBuilder sb = new StringBuilder();
        long n = 0;
        int c = read();
        if (c == '\n' && skipLf) {
            c = read();
        }
        skipLf = false;
        if (c == -1) {
            return null;
        }
        while (c != -1 && c != '\n' && c != '\r') {
            if (n < max) {
                sb.append((char) c);
            } else if (n == max) {
                sb = null;
            }
            n++;
            c = read();
        }
        if (c == '\r') {
            skipLf = true;
        }
        return new Line(n > max ? null : sb.toString(), n);
    }
}
