package dev.mipeaks.model;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory this machine has for a run ({@link MemoryPlan.Available}): for the CPU, MemAvailable of
 * /proc/meminfo, lowered to what the process's cgroup still allows (v2 memory.max - memory.current, or v1
 * limit - usage), else the JVM's view of free physical memory; for a CUDA device, the driver's free memory
 * (cuMemGetInfo through JCuda, on the primary context LibTorch shares); for a folder, the usable space of its file
 * system. Anything that cannot be read is unknown (-1): the plan prints it and does not refuse on it.
 */
public final class SystemMemory implements MemoryPlan.Available {
    private final Map<String, Long> cache = new HashMap<>();

    @Override
    public synchronized long memory(String device) {
        return cache.computeIfAbsent(device, d -> Placement.isCuda(d) ? cudaFree(Placement.cudaIndex(d)) : cpuAvailable());
    }

    @Override
    public long disk(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return -1;
        }
        try {
            FileStore fs = Files.getFileStore(p);
            return fs.getUsableSpace();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** MemAvailable (bytes) within the cgroup's limit; -1 when unknown. */
    static long cpuAvailable() {
        long avail = memInfo(Path.of("/proc/meminfo"), "MemAvailable");
        if (avail < 0) {
            try {
                var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                    avail = sun.getFreeMemorySize();
                }
            } catch (LinkageError | RuntimeException e) {
                avail = -1;
            }
        }
        long cg = cgroupRoom();
        if (cg >= 0 && (avail < 0 || cg < avail)) {
            avail = cg;
        }
        return avail;
    }

    /** A field of /proc/meminfo in bytes, -1 when absent. */
    static long memInfo(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** What the cgroup (v2, else v1) still allows this process, -1 when unlimited or unknown. */
    static long cgroupRoom() {
        for (List<String> pair : List.of(List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                List.of("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"))) {
            long limit = number(Path.of(pair.get(0)));
            long used = number(Path.of(pair.get(1)));
            // v1 reports "no limit" as a huge number
            if (limit > 0 && used >= 0 && limit < (1L << 60)) {
                return Math.max(0, limit - used);
            }
        }
        return -1;
    }

    private static long number(Path f) {
        try {
            String s = Files.readString(f).trim();
            return s.equals("max") ? -1 : Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Free bytes of CUDA device {@code index}, -1 when it cannot be asked. */
    static long cudaFree(int index) {
        try (dev.mipeaks.gpu.CudaDevice d = dev.mipeaks.gpu.CudaDevice.open(index)) {
            return d.memoryInfo()[0];
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
