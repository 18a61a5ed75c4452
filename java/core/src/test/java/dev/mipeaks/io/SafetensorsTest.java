package dev.mipeaks.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryFloatTypeAndMetadata() throws IOException {
        float[] v = {0f, 1f, -2.5f, 3.140625f, 1e-3f, -65504f, 0.5f, 7f};
        Path f = dir.resolve("t.safetensors");
        ByteBuffer half = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            half.putShort(DType.Half.fromFloat(x));
        }
        half.flip();
        new SafetensorsWriter()
                .metadata("model", "demo")
                .addF32("f32", new long[] {2, 4}, v)
                .addBF16("bf16", new long[] {2, 4}, v)
                .add("f16", DType.F16, new long[] {8}, half)
                .addF64("f64", new long[] {8}, new double[] {1, 2, 3, 4, 5, 6, 7, 8})
                .addI64("ids", new long[] {3}, new long[] {1, -2, 1L << 40})
                .write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals("demo", s.metadata().get("model"));
            assertArrayEquals(v, s.floats("f32"));
            assertArrayEquals(v, s.floats("f16"), 1e-3f);
            float[] bf = s.floats("bf16");
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], bf[i], Math.abs(v[i]) / 128 + 1e-6, "bf16[" + i + "]");
            }
            assertArrayEquals(new long[] {1, -2, 1L << 40}, s.longs("ids"));
            Matrix m = s.matrix("f32");
            assertEquals(2, m.rows());
            assertEquals(4, m.cols());
            assertArrayEquals(new double[] {1e-3f, -65504f, 0.5f, 7f}, m.row(1));
            assertEquals(0, (8 + s.fileOffset("f32")) % 8 == 0 ? 0 : 0);
        }
    }

    @Test
    void integerTypesReadExactlyAsLongAndAsDouble() {
        // one element of each integer type, its bytes little-endian: sign and zero extension, bool as 0/1
        Object[][] cases = {
            {DType.I64, new byte[] {(byte) 0xfe, -1, -1, -1, -1, -1, -1, -1}, -2L},
            {DType.I64, new byte[] {0, 0, 0, 0, 0, 1, 0, 0}, 1L << 40},
            {DType.I32, new byte[] {(byte) 0x85, (byte) 0xff, (byte) 0xff, (byte) 0xff}, -123L},
            {DType.I16, new byte[] {0x00, (byte) 0x80}, -32768L},
            {DType.I8, new byte[] {(byte) 0xff}, -1L},
            {DType.U8, new byte[] {(byte) 0xff}, 255L},
            {DType.BOOL, new byte[] {0x02}, 1L},
            {DType.BOOL, new byte[] {0x00}, 0L},
        };
        for (Object[] c : cases) {
            DType t = (DType) c[0];
            byte[] bytes = (byte[]) c[1];
            long want = (Long) c[2];
            ByteBuffer b = ByteBuffer.allocate(bytes.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[bytes.length]).put(bytes);   // element 1, after a zero element 0
            assertEquals(want, t.getAsLong(b, 1), t + " as long");
            assertEquals((double) want, t.getAsDouble(b, 1), t + " as double");
            assertEquals(0, t.getAsLong(b, 0), t + " element 0");
        }
        // float types read as long truncate toward zero
        ByteBuffer f = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, -2.75f);
        assertEquals(-2L, DType.F32.getAsLong(f, 0));
        assertEquals(-2.75, DType.F32.getAsDouble(f, 0));
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly between two bf16 values (1 and 1 + 2^-7): ties go to even (1).
        assertEquals((short) 0x3f80, DType.bf16FromFloat(1f + 0x1p-8f));
        assertEquals((short) 0x3f81, DType.bf16FromFloat(1f + 0x1p-8f + 0x1p-20f));
        assertEquals(0x3f81, DType.bf16FromFloat(1f + 0x1p-7f) & 0xffff);
    }

    @Test
    void halfPrecisionConversionsMatchIeee() {
        assertEquals(0x3c00, DType.Half.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, DType.Half.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, DType.Half.fromFloat(65504f) & 0xffff);
        assertEquals(0x7c00, DType.Half.fromFloat(1e6f) & 0xffff);
        assertEquals(0x0001, DType.Half.fromFloat(0x1p-24f) & 0xffff);
        assertEquals(0x1p-24f, DType.Half.toFloat((short) 1));
        for (int h = 0; h < 0x7c00; h += 7) {
            float f = DType.Half.toFloat((short) h);
            assertEquals(h, DType.Half.fromFloat(f) & 0xffff, "half bits " + h);
        }
    }

    @Test
    void truncatedFileIsAClearError() throws IOException {
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter().addF32("x", new long[] {4, 4}, new float[16]).write(f);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        MipeaksException e = assertThrows(MipeaksException.class, () -> SafetensorsFile.open(cut));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("'x'"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptHeadersAreClearErrors() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(assertThrows(MipeaksException.class, () -> SafetensorsFile.open(tiny)).getMessage().contains("too short"));

        Path hugeLen = dir.resolve("len.safetensors");
        Files.write(hugeLen, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(assertThrows(MipeaksException.class, () -> SafetensorsFile.open(hugeLen)).getMessage().contains("header length"));

        Path notJson = withHeader("{not json");
        assertTrue(assertThrows(MipeaksException.class, () -> SafetensorsFile.open(notJson)).getMessage().contains("not JSON"));

        Path badDtype = withHeader("{\"x\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}");
        assertTrue(assertThrows(MipeaksException.class, () -> SafetensorsFile.open(badDtype)).getMessage().contains("dtype Q7"));

        Path badSize = withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}");
        MipeaksException e = assertThrows(MipeaksException.class, () -> SafetensorsFile.open(badSize));
        assertTrue(e.getMessage().contains("tensor 'x'") && e.getMessage().contains("expected 8"), e.getMessage());
    }

    @Test
    void missingTensorNamesWhatTheFileHas() throws IOException {
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter().addF32("hidden.3", new long[] {1, 2}, new float[2]).write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            MipeaksException e = assertThrows(MipeaksException.class, () -> s.info("hidden.4"));
            assertTrue(e.getMessage().contains("no tensor 'hidden.4'") && e.getMessage().contains("hidden.3"), e.getMessage());
        }
    }

    @Test
    void writesAtomicallyAndFromFiles() throws IOException {
        Path spill = dir.resolve("spill.bin");
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(6);
        Files.write(spill, b.array());
        Path f = dir.resolve("out.safetensors");
        new SafetensorsWriter().addFile("h", DType.F32, new long[] {2, 3}, spill).write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.floats("h"));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left behind");
        }
    }

    @Test
    void theFormatsLayoutRulesAreEnforced() throws IOException {
        // shape product beyond any file (2^62 x 4 elements): exit 2 naming the tensor, not an ArithmeticException
        assertInvalid(withData("{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}", 16),
                "tensor 'x': shape [4611686018427387904,4] has more bytes than any file can hold");
        assertInvalid(withData("{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,16]}}", 16),
                "tensor 'x': shape [4611686018427387904] has more bytes");
        // two tensors on the same bytes
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]");
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "overlap tensor");
        // a hole before a tensor
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16),
                "tensor 'a': data_offsets [8, 16] leave 8 unused bytes before it");
        // bytes after the last tensor
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12),
                "4 trailing bytes after the last tensor's data ('a' ends at 8)");
        // one key twice (JSON parsers differ on which one wins)
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "key 'a' appears twice");
        // anything but spaces after the header object
        assertInvalid(withData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} {}", 4),
                "corrupt safetensors header");
        // what the format allows: spaces after the header, zero-size tensors, tensors in any key order
        Path ok = withData("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}    ", 8);
        try (SafetensorsFile s = SafetensorsFile.open(ok)) {
            assertEquals(3, s.tensors().size());
        }
    }

    private static void assertInvalid(Path f, String fragment) {
        MipeaksException e = assertThrows(MipeaksException.class, () -> SafetensorsFile.open(f));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    /** A file with this header and {@code data} zero bytes of data. */
    private Path withData(String header, int data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = Files.createTempFile(dir, "layout", ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private Path withHeader(String header) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(p, b.array());
        return p;
    }
}
