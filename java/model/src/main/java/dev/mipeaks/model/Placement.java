package dev.mipeaks.model;

import dev.mipeaks.MipeaksException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a model's decoder layers live: contiguous blocks of layers, one block per device, in order. The embedding
 * goes with the first block, the final norm and the head with the last; the residual stream moves to the next
 * device at a block boundary and each layer's KV cache stays on its layer's device. One block is the ordinary
 * single-device model.
 *
 * <p>Devices are LibTorch device strings: {@code cpu}, {@code cuda} (the current CUDA device) or {@code cuda:N}.
 * No LibTorch types here.
 */
public record Placement(List<Block> blocks) {

    /** Layers [from, to) on {@code device}. */
    public record Block(String device, int from, int to) {
        public int layers() {
            return to - from;
        }

        @Override
        public String toString() {
            return device + " layers " + (layers() == 1 ? Integer.toString(from) : from + "-" + (to - 1));
        }
    }

    public Placement {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no blocks");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.layers() < 1 || (i > 0 && b.from() != blocks.get(i - 1).to()) || (i == 0 && b.from() != 0)) {
                throw new IllegalArgumentException("blocks must be contiguous, non-empty and start at layer 0: " + blocks);
            }
        }
    }

    /** Every layer on one device. */
    public static Placement single(String device, int numLayers) {
        return new Placement(List.of(new Block(normalize(device), 0, numLayers)));
    }

    /**
     * Contiguous blocks of {@code layersPerDevice[i]} layers on {@code devices[i]}; null counts split the layers as
     * evenly as possible (the first devices take one more when they do not divide). Errors name the option.
     */
    public static Placement of(List<String> devices, int[] layersPerDevice, int numLayers) {
        if (devices.isEmpty()) {
            throw MipeaksException.invalid("--device: no device given");
        }
        int n = devices.size();
        int[] counts;
        if (layersPerDevice == null) {
            if (n > numLayers) {
                throw MipeaksException.invalid("--device: " + n + " devices for a model of " + numLayers
                        + " layers (at most one device per layer)");
            }
            counts = new int[n];
            for (int i = 0; i < n; i++) {
                counts[i] = numLayers / n + (i < numLayers % n ? 1 : 0);
            }
        } else {
            if (layersPerDevice.length != n) {
                throw MipeaksException.invalid("--layers-per-device: " + layersPerDevice.length + " counts for " + n
                        + " devices (" + String.join(",", devices) + ")");
            }
            long sum = 0;
            for (int c : layersPerDevice) {
                if (c < 1) {
                    throw MipeaksException.invalid("--layers-per-device: every count must be at least 1, got " + c);
                }
                sum += c;
            }
            if (sum != numLayers) {
                throw MipeaksException.invalid("--layers-per-device: the counts add up to " + sum
                        + " layers, the model has " + numLayers);
            }
            counts = layersPerDevice.clone();
        }
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < n; i++) {
            blocks.add(new Block(normalize(devices.get(i)), at, at + counts[i]));
            at += counts[i];
        }
        return new Placement(blocks);
    }

    /**
     * Parses {@code --device} for a model: {@code cpu}, {@code cuda}, {@code cuda:N} or a comma list of them, with
     * optional {@code --layers-per-device} counts. One device with several counts stands for that many devices
     * counted up from it ({@code cuda} with 40,40 = cuda:0,cuda:1). {@code auto} is not handled here (see
     * {@link MemoryPlan#auto}).
     */
    public static Placement parse(String device, String layersPerDevice, int numLayers) {
        List<String> devices = devices(device);
        int[] counts = layersPerDevice == null || layersPerDevice.isBlank() ? null : counts(layersPerDevice);
        if (counts != null && devices.size() == 1 && counts.length > 1) {
            String d = devices.get(0);
            if (d.equals("cpu")) {
                devices = java.util.Collections.nCopies(counts.length, "cpu");
            } else {
                int first = cudaIndex(d);
                devices = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    devices.add("cuda:" + (first + i));
                }
            }
        }
        return of(devices, counts, numLayers);
    }

    /** The devices of a --device list (cpu, cuda, cuda:N), normalised; errors name --device. */
    public static List<String> devices(String device) {
        return devices("--device", device);
    }

    /** The devices of a device list given to {@code option} (cpu, cuda, cuda:N), normalised. */
    public static List<String> devices(String option, String device) {
        if (device == null || device.isBlank()) {
            return List.of("cpu");
        }
        List<String> out = new ArrayList<>();
        for (String part : device.split(",")) {
            String d = part.trim().toLowerCase(Locale.ROOT);
            if (d.isEmpty()) {
                throw MipeaksException.invalid(option + " " + device + ": empty entry in the list");
            }
            if (!d.equals("cpu") && !d.equals("cuda") && !d.matches("cuda:\\d{1,3}")) {
                throw MipeaksException.invalid(option + " " + device + ": expected cpu, cuda, cuda:N or a comma list "
                        + "of them (e.g. cuda:0,cuda:1), got '" + part.trim() + "'");
            }
            out.add(normalize(d));
        }
        return out;
    }

    private static int[] counts(String s) {
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw MipeaksException.invalid("--layers-per-device: '" + parts[i].trim() + "' is not an integer");
            }
        }
        return out;
    }

    /**
     * {@code cuda:00} -> {@code cuda:0}; {@code cuda} (LibTorch's current device, the first unless changed) ->
     * {@code cuda:0}, so that one GPU has one name in a plan; {@code cpu} as it is.
     */
    static String normalize(String d) {
        String s = d.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cuda")) {
            return "cuda:0";
        }
        if (s.startsWith("cuda:")) {
            return "cuda:" + Integer.parseInt(s.substring(5));
        }
        return s;
    }

    /** The CUDA index of {@code cuda} (0) or {@code cuda:N}; -1 for cpu. */
    public static int cudaIndex(String device) {
        if (device.equals("cuda")) {
            return 0;
        }
        return device.startsWith("cuda:") ? Integer.parseInt(device.substring(5)) : -1;
    }

    public static boolean isCuda(String device) {
        return cudaIndex(device) >= 0;
    }

    public Block first() {
        return blocks.get(0);
    }

    public Block last() {
        return blocks.get(blocks.size() - 1);
    }

    public int numLayers() {
        return last().to();
    }

    /** More than one block. */
    public boolean isSplit() {
        return blocks.size() > 1;
    }

    public boolean anyCuda() {
        return blocks.stream().anyMatch(b -> isCuda(b.device()));
    }

    /** The index of the block holding {@code layer}. */
    public int blockOf(int layer) {
        for (int i = 0; i < blocks.size(); i++) {
            if (layer < blocks.get(i).to()) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer " + layer + " outside [0, " + numLayers() + ")");
    }

    /** The device of {@code layer}. */
    public String deviceOf(int layer) {
        return blocks.get(blockOf(layer)).device();
    }

    /** For config.json and messages: {@code cpu}, or {@code cuda:0[0-39],cuda:1[40-79]}. */
    public String label() {
        if (!isSplit()) {
            return first().device();
        }
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(b.device()).append('[').append(b.from()).append('-').append(b.to() - 1).append(']');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return label();
    }
}
