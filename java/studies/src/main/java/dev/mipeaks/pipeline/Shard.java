package dev.mipeaks.pipeline;

import dev.mipeaks.MipeaksException;

/**
 * Shard {@code index} of {@code count}: problem k (its 0-based position in the dataset file) belongs to shard
 * k % count, so n machines split a suite without talking to each other and {@code mipeaks merge} joins them.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw MipeaksException.invalid("--shard " + index + "/" + count + ": expected i/n with 0 <= i < n");
        }
    }

    /** Parses "i/n" (null or blank: the whole suite). */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        String[] p = text.trim().split("/");
        if (p.length != 2) {
            throw MipeaksException.invalid("--shard '" + text + "': expected i/n, e.g. 0/4");
        }
        try {
            return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw MipeaksException.invalid("--shard '" + text + "': expected i/n with integers, e.g. 0/4");
        }
    }

    public boolean whole() {
        return count == 1;
    }

    public boolean owns(int problemIndex) {
        return problemIndex % count == index;
    }

    /** "i/n", or null for the whole suite (as stored in config.json). */
    public String label() {
        return whole() ? null : index + "/" + count;
    }
}
