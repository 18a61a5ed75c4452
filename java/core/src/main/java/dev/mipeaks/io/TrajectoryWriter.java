package dev.mipeaks.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a generation trajectory as one safetensors file, streaming: each step's states go to one spill file per
 * layer next to the output, so a 16k-step run never holds its states in memory; {@link #finish} assembles
 * the file atomically (temporary sibling + rename) and deletes the spills, {@link #close} without finish deletes
 * them and leaves no output. Spills are also deleted when the JVM exits before either (Ctrl-C: {@link TempFiles}),
 * and spills a killed process left beside the same output are deleted when the next writer starts.
 *
 * <p>Layout (readable with Python's {@code safetensors}):
 * <ul>
 *   <li>{@code token_ids} I64[T]: the token of step t (a stopping eos included);</li>
 *   <li>{@code hidden.{l}} F32 or BF16 [T, H] for each captured layer l: the residual stream after layer l
 *       ({@code blocks.l.hook_resid_post}) at the position that predicted token t;</li>
 *   <li>metadata: format, model, prompt_ids, layers, dtype, hidden_size, steps, stop_reason, plus any the caller
 *       adds (all values strings; lists as JSON).</li>
 * </ul>
 */
public final class TrajectoryWriter implements AutoCloseable {
    public static final String FORMAT = "mipeaks-trajectory-v1";
    /** Suffix of the per-layer spill files ({@code .<out name>.hidden<l>.pid<N>.<random>.spill} beside the output). */
    public static final String SPILL = ".spill";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final int[] layers;
    private final int hidden;
    private final DType dtype;
    private final Path[] spillPaths;
    private final FileChannel[] spills;
    private final ByteBuffer row;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final java.util.List<Extra> extras = new java.util.ArrayList<>();
    private long[] tokens = new long[1024];
    private int steps;
    private boolean finished;
    private boolean closed;

    /**
     * @param layers the captured layers, in the order rows are passed to {@link #append}
     * @param dtype  F32 or BF16 (round to nearest even)
     */
    public TrajectoryWriter(Path out, int[] layers, int hidden, DType dtype) throws IOException {
        if (dtype != DType.F32 && dtype != DType.BF16) {
            throw new IllegalArgumentException("trajectory dtype must be F32 or BF16, got " + dtype);
        }
        this.out = out.toAbsolutePath();
        this.layers = layers.clone();
        this.hidden = hidden;
        this.dtype = dtype;
        this.row = ByteBuffer.allocateDirect(hidden * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        Path dir = this.out.getParent();
        String prefix = "." + this.out.getFileName() + ".hidden";
        spillPaths = new Path[layers.length];
        spills = new FileChannel[layers.length];
        try {
            if (Files.isDirectory(this.out)) {
                throw new IOException("it is a folder");
            }
            Files.createDirectories(dir);
            TempFiles.deleteStale(dir, prefix, SPILL);
            for (int i = 0; i < layers.length; i++) {
                spillPaths[i] = TempFiles.register(Files.createTempFile(dir, prefix + layers[i] + "."
                        + TempFiles.pidTag() + ".", SPILL));
                spills[i] = FileChannel.open(spillPaths[i], StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            close();
            throw IoErrors.cannotWrite(out, e);
        }
    }

    public int[] layers() {
        return layers.clone();
    }

    public int steps() {
        return steps;
    }

    public Path path() {
        return out;
    }

    public TrajectoryWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a tensor written after the hidden states by {@link #finish} (e.g. a ground-truth state or per-step
     * values computed alongside generation); {@code data} holds its little-endian bytes (position to limit).
     */
    public TrajectoryWriter extraTensor(String name, DType dtype, long[] shape, ByteBuffer data) {
        if (finished || closed) {
            throw new IllegalStateException("trajectory already " + (finished ? "finished" : "closed"));
        }
        extras.add(new Extra(name, dtype, shape.clone(), data.duplicate()));
        return this;
    }

    private record Extra(String name, DType dtype, long[] shape, ByteBuffer data) {
    }

    /** Appends step {@code steps()}: its token and the state after each layer (states[i] for layers[i]). */
    public void append(int token, float[][] states) {
        if (finished || closed) {
            throw new IllegalStateException("trajectory already " + (finished ? "finished" : "closed"));
        }
        if (states.length != layers.length) {
            throw new IllegalArgumentException(states.length + " states for " + layers.length + " layers");
        }
        for (int i = 0; i < layers.length; i++) {
            if (states[i].length != hidden) { // checked before writing anything, so the spills stay aligned
                throw new IllegalArgumentException("layer " + layers[i] + ": state of " + states[i].length
                        + " values, expected " + hidden);
            }
        }
        try {
            for (int i = 0; i < layers.length; i++) {
                float[] s = states[i];
                row.clear();
                if (dtype == DType.F32) {
                    row.asFloatBuffer().put(s);
                } else {
                    for (int j = 0; j < hidden; j++) {
                        row.putShort(2 * j, DType.bf16FromFloat(s[j]));
                    }
                }
                row.position(0).limit(hidden * dtype.bytes());
                while (row.hasRemaining()) {
                    spills[i].write(row);
                }
            }
        } catch (IOException e) {
            throw IoErrors.cannotWrite(out, e);
        }
        if (steps == tokens.length) {
            tokens = Arrays.copyOf(tokens, steps * 2);
        }
        tokens[steps++] = token;
    }

    /**
     * Writes the file: token_ids, hidden.{l}, the metadata set so far plus format, layers, dtype, hidden_size,
     * steps and {@code stopReason}, then the {@link #extraTensor extra tensors} in the order they were added.
     */
    public void finish(String stopReason) throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("trajectory already " + (finished ? "finished" : "closed"));
        }
        for (FileChannel ch : spills) {
            ch.force(false);
            ch.close();
        }
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(metadata);
        meta.put("layers", JSON.writeValueAsString(layers));
        meta.put("dtype", dtype.name());
        meta.put("hidden_size", Integer.toString(hidden));
        meta.put("steps", Integer.toString(steps));
        meta.put("stop_reason", stopReason);
        w.metadata(meta);
        w.addI64("token_ids", new long[] {steps}, Arrays.copyOf(tokens, steps));
        for (int i = 0; i < layers.length; i++) {
            w.addFile("hidden." + layers[i], dtype, new long[] {steps, hidden}, spillPaths[i]);
        }
        for (Extra e : extras) {
            w.add(e.name(), e.dtype(), e.shape(), e.data());
        }
        w.write(out);
        finished = true;
        close();
    }

    /** Deletes the spill files; without {@link #finish} no output is written. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < spills.length; i++) {
            try {
                if (spills[i] != null && spills[i].isOpen()) {
                    spills[i].close();
                }
            } catch (IOException ignored) {
                // deleting it next
            }
            if (spillPaths[i] != null) {
                TempFiles.delete(spillPaths[i]);
            }
        }
    }

    /** JSON list of ints, for metadata values. */
    public static String jsonList(int[] v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
