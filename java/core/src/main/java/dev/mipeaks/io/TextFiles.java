package dev.mipeaks.io;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Text input read strictly as UTF-8: bytes that are not UTF-8 are an exit-2 error naming the file, the line and the
 * byte, never a silently replaced character or an internal error.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /** The whole file as text. */
    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw MipeaksException.invalid(file + ": no such file");
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + IoErrors.reason(e) + ")");
        }
        return decode(file, bytes, 0, bytes.length, 1);
    }

    /** The file's lines (without line terminators), as {@link java.io.BufferedReader#readLine()} splits them. */
    public static List<String> readLines(Path file) {
        return readUtf8(file).lines().toList();
    }

    /**
     * Decodes {@code len} bytes at {@code off} of {@code file}'s content; {@code firstLine} is the 1-based line the
     * first byte is on (for the error message).
     */
    public static String decode(Path file, byte[] bytes, int off, int len, long firstLine) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(len);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int bad = in.position();
            long line = firstLine;
            int lineStart = off;
            for (int i = off; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw MipeaksException.invalid(String.format(Locale.ROOT, "%s:%d: not UTF-8 text (byte 0x%02X at byte %d of "
                    + "the line); save the file as UTF-8", file, line, bytes[bad] & 0xff, bad - lineStart + 1));
        }
        out.flip();
        return out.toString();
    }
}
