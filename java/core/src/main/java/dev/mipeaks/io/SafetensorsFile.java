package dev.mipeaks.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A safetensors file opened for reading: the header is parsed and validated on open, tensor data is memory-mapped
 * on demand (one mapping per tensor, so files larger than 2 GiB work as long as each tensor is below 2 GiB).
 *
 * <p>Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [b, e]},
 * "__metadata__": {string: string}}, then the data section; offsets are relative to its start.
 *
 * <p>Every error names the file and, where it applies, the tensor.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Strict as the format: a key given twice, or anything after the header object but spaces, is an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, long fileSize,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw MipeaksException.invalid(path + ": no such file");
        } catch (IOException e) {
            throw MipeaksException.invalid(path + ": cannot open (" + e.getMessage() + ")");
        }
        try {
            SafetensorsFile f = parse(path, ch);
            ch = null;
            return f;
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the parse error is the one to report
                }
            }
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel ch) {
        try {
            long size = ch.size();
            if (size < 8) {
                throw MipeaksException.invalid(path + ": not a safetensors file (" + size + " bytes, too short for a header)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw MipeaksException.invalid(path + ": not a safetensors file or truncated (header length " + headerLen
                        + ", file size " + size + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            String headerText = new String(hb.array(), StandardCharsets.UTF_8);
            JsonNode root;
            try {
                root = JSON.readTree(headerText);
            } catch (JsonProcessingException e) {
                String m = e.getOriginalMessage();
                if (m != null && m.startsWith("Duplicate field")) {
                    throw MipeaksException.invalid(path + ": corrupt safetensors header (" + m.replace("Duplicate field",
                            "key") + " appears twice; the format forbids duplicate keys)");
                }
                throw MipeaksException.invalid(path + ": corrupt safetensors header (not JSON: " + m + ")");
            }
            if (root == null || !root.isObject()) {
                throw MipeaksException.invalid(path + ": corrupt safetensors header (not a JSON object)");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) {
                        throw MipeaksException.invalid(path + ": __metadata__ is not an object");
                    }
                    v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().isTextual()
                            ? m.getValue().asText() : m.getValue().toString()));
                    continue;
                }
                tensors.put(name, parseTensor(path, name, v, dataSize));
            }
            checkLayout(path, tensors, dataSize);
            return new SafetensorsFile(path, ch, dataStart, size, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(meta));
        } catch (IOException e) {
            throw MipeaksException.invalid(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static TensorInfo parseTensor(Path path, String name, JsonNode v, long dataSize) {
        String where = path + ": tensor '" + name + "'";
        if (!v.isObject()) {
            throw MipeaksException.invalid(where + ": header entry is not an object");
        }
        JsonNode dt = v.get("dtype");
        DType dtype = dt == null ? null : DType.parse(dt.asText());
        if (dtype == null) {
            throw MipeaksException.invalid(where + ": unsupported or missing dtype " + (dt == null ? "(none)" : dt.asText()));
        }
        JsonNode sh = v.get("shape");
        if (sh == null || !sh.isArray()) {
            throw MipeaksException.invalid(where + ": missing shape");
        }
        long[] shape = new long[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw MipeaksException.invalid(where + ": bad shape " + sh + " (dimensions are integers >= 0)");
            }
            shape[i] = d.asLong();
        }
        long bytes;
        try {
            boolean empty = java.util.Arrays.stream(shape).anyMatch(d -> d == 0);
            for (long d : shape) {
                numel = empty ? 0 : Math.multiplyExact(numel, d);
            }
            bytes = Math.multiplyExact(numel, (long) dtype.bytes());
        } catch (ArithmeticException overflow) {
            throw MipeaksException.invalid(where + ": shape " + sh + " has more bytes than any file can hold");
        }
        JsonNode off = v.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2) {
            throw MipeaksException.invalid(where + ": missing data_offsets");
        }
        for (JsonNode o : off) {
            if (!o.isIntegralNumber() || !o.canConvertToLong()) {
                throw MipeaksException.invalid(where + ": bad data_offsets " + off + " (expected two integers)");
            }
        }
        long b = off.get(0).asLong();
        long e = off.get(1).asLong();
        if (b < 0 || e < b) {
            throw MipeaksException.invalid(where + ": bad data_offsets [" + b + ", " + e + "]");
        }
        if (e > dataSize) {
            throw MipeaksException.invalid(where + ": data_offsets end " + e + " beyond the data section ("
                    + dataSize + " bytes): file truncated?");
        }
        if (e - b != bytes) {
            throw MipeaksException.invalid(where + ": " + (e - b) + " bytes for " + dtype + java.util.Arrays.toString(shape)
                    + " (expected " + bytes + ")");
        }
        return new TensorInfo(name, dtype, shape, b, e);
    }

    /**
     * The format's layout rule: the tensors' byte ranges, in offset order, tile the data section exactly (from 0,
     * no overlap, no gap, nothing after the last one).
     */
    private static void checkLayout(Path path, Map<String, TensorInfo> tensors, long dataSize) {
        List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long pos = 0;
        TensorInfo prev = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < pos) {
                throw MipeaksException.invalid(path + ": tensor '" + t.name() + "': data_offsets [" + t.begin() + ", "
                        + t.end() + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + "]");
            }
            if (t.begin() > pos) {
                throw MipeaksException.invalid(path + ": tensor '" + t.name() + "': data_offsets [" + t.begin() + ", "
                        + t.end() + "] leave " + (t.begin() - pos) + " unused bytes before it (at " + pos
                        + "; the format requires contiguous data)");
            }
            pos = t.end();
            prev = t;
        }
        if (pos != dataSize) {
            throw MipeaksException.invalid(path + ": " + (dataSize - pos) + " trailing bytes after the last tensor's data"
                    + (prev == null ? "" : " ('" + prev.name() + "' ends at " + pos + ")")
                    + " (the format forbids them: a damaged or wrongly written file)");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor's header entry; a missing name is an invalid-input error listing what the file has. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw MipeaksException.invalid(path + ": no tensor '" + name + "' (has: " + summarizeNames() + ")");
        }
        return t;
    }

    private String summarizeNames() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String n : tensors.keySet()) {
            if (i++ == 12) {
                sb.append(", ... ").append(tensors.size() - 12).append(" more");
                break;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(n);
        }
        return sb.length() == 0 ? "no tensors" : sb.toString();
    }

    /** Read-only little-endian mapping of the tensor's bytes. */
    public ByteBuffer data(String name) {
        TensorInfo t = info(name);
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw MipeaksException.invalid(path + ": tensor '" + name + "' is larger than 2 GiB; read it in slices");
        }
        return map(t.begin(), t.byteSize(), name);
    }

    /** Read-only little-endian mapping of {@code length} bytes at {@code offset} within the tensor. */
    public ByteBuffer slice(String name, long offset, long length) {
        TensorInfo t = info(name);
        if (offset < 0 || length < 0 || offset + length > t.byteSize() || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "': slice [" + offset + ", +" + length
                    + ") out of range");
        }
        return map(t.begin() + offset, length, name);
    }

    /** Absolute file offset of the tensor's first byte (for native loaders that map the file themselves). */
    public long fileOffset(String name) {
        return dataStart + info(name).begin();
    }

    private ByteBuffer map(long begin, long length, String name) {
        try {
            if (length == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            MappedByteBuffer mb = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, length);
            return mb.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw MipeaksException.invalid(path + ": tensor '" + name + "': cannot map (" + e.getMessage() + ")");
        }
    }

    /** The whole tensor converted to float (F64/F32/F16/BF16/integers). */
    public float[] floats(String name) {
        TensorInfo t = info(name);
        ByteBuffer b = data(name);
        float[] out = new float[Math.toIntExact(t.numel())];
        if (t.dtype() == DType.F32) {
            b.asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) t.dtype().getAsDouble(b, i);
        }
        return out;
    }

    /** The whole tensor converted to double. */
    public double[] doubles(String name) {
        TensorInfo t = info(name);
        ByteBuffer b = data(name);
        return IntStream.range(0, Math.toIntExact(t.numel())).mapToDouble(i -> t.dtype().getAsDouble(b, i))
                .toArray();
    }

    /** An integer tensor's values. */
    public long[] longs(String name) {
        TensorInfo t = info(name);
        ByteBuffer b = data(name);
        return IntStream.range(0, Math.toIntExact(t.numel())).mapToLong(i -> t.dtype().getAsLong(b, i))
                .toArray();
    }

    /** A 2-D view of a tensor as rows (the last dimension is the row length; leading dimensions are flattened). */
    public Matrix matrix(String name) {
        TensorInfo t = info(name);
        if (t.rank() < 1) {
            throw MipeaksException.invalid(path + ": tensor '" + name + "' is a scalar, expected rows");
        }
        if (!t.dtype().isFloating()) {
            throw MipeaksException.invalid(path + ": tensor '" + name + "' has dtype " + t.dtype() + ", expected a float type");
        }
        long cols = t.dim(t.rank() - 1);
        long rows = cols == 0 ? 0 : t.numel() / cols;
        return new Matrix(path + ": tensor '" + name + "'", t.dtype(), Math.toIntExact(rows), Math.toIntExact(cols), data(name));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only file: nothing to lose
        }
    }

    @Override
    public String toString() {
        return path + " (" + tensors.size() + " tensors, " + fileSize + " bytes)";
    }
}
