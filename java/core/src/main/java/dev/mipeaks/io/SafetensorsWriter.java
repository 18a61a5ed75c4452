package dev.mipeaks.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a safetensors file (readable by Python's {@code safetensors}) and writes it atomically.
 * Tensor bytes come from memory or from a file (so that streamed data, such as a 16k-step trajectory
 * spilled to disk, is never held in memory at once).
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String name, DType dtype, long[] shape, ByteBuffer bytes, Path file, long length) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter metadata(Map<String, String> all) {
        metadata.putAll(all);
        return this;
    }

    /** Adds a tensor whose little-endian bytes are {@code data} (position to limit). */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, ByteBuffer data) {
        long numel = numel(shape);
        if (data.remaining() != numel * dtype.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.remaining() + " bytes for " + dtype
                    + java.util.Arrays.toString(shape));
        }
        checkName(name);
        entries.add(new Entry(name, dtype, shape.clone(), data.duplicate().order(ByteOrder.LITTLE_ENDIAN), null, data.remaining()));
        return this;
    }

    /** Adds a tensor whose raw little-endian bytes are the whole content of {@code file}. */
    public SafetensorsWriter addFile(String name, DType dtype, long[] shape, Path file) throws IOException {
        long numel = numel(shape);
        long size = Files.size(file);
        if (size != numel * dtype.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "': file " + file + " has " + size + " bytes for "
                    + dtype + java.util.Arrays.toString(shape));
        }
        checkName(name);
        entries.add(new Entry(name, dtype, shape.clone(), null, file, size));
        return this;
    }

    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        return add(name, DType.F32, shape, filled(DType.F32, values.length, b -> b.asFloatBuffer().put(values)));
    }

    public SafetensorsWriter addF64(String name, long[] shape, double[] values) {
        return add(name, DType.F64, shape, filled(DType.F64, values.length, b -> b.asDoubleBuffer().put(values)));
    }

    public SafetensorsWriter addI64(String name, long[] shape, long[] values) {
        return add(name, DType.I64, shape, filled(DType.I64, values.length, b -> b.asLongBuffer().put(values)));
    }

    /** Stores float values as bfloat16 (round to nearest even). */
    public SafetensorsWriter addBF16(String name, long[] shape, float[] values) {
        return add(name, DType.BF16, shape, filled(DType.BF16, values.length, b -> {
            for (int i = 0; i < values.length; i++) {
                b.putShort(2 * i, DType.bf16FromFloat(values[i]));
            }
        }));
    }

    /** A little-endian buffer of {@code n} elements of {@code dtype}, its content written by {@code fill}. */
    private static ByteBuffer filled(DType dtype, int n, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(n * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b;
    }

    private void checkName(String name) {
        if (name.equals("__metadata__")) {
            throw new IllegalArgumentException("'__metadata__' is reserved");
        }
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
            }
        }
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The header JSON bytes, padded with spaces to a multiple of 8 (data then starts 8-byte aligned). */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long off = 0;
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name);
            t.put("dtype", e.dtype.name());
            ArrayNode sh = t.putArray("shape");
            for (long d : e.shape) {
                sh.add(d);
            }
            ArrayNode o = t.putArray("data_offsets");
            o.add(off);
            o.add(off + e.length);
            off += e.length;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** Writes the file atomically (temporary sibling, then rename). */
    public void write(Path target) throws IOException {
        byte[] header = header();
        AtomicFiles.write(target, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            byte[] chunk = new byte[1 << 16];
            for (Entry e : entries) {
                if (e.bytes != null) {
                    ByteBuffer b = e.bytes.duplicate();
                    while (b.hasRemaining()) {
                        int n = Math.min(chunk.length, b.remaining());
                        b.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                } else {
                    copy(e.file, out);
                }
            }
        });
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }
}
