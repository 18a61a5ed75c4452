package dev.mipeaks.model;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.nio.file.Path;

/**
 * One place that prepares the native libraries of the transformer runtime before their first use:
 * <ul>
 *   <li>JavaCPP (LibTorch): the cache where natives are extracted ({@code org.bytedeco.javacpp.cachedir}, default
 *       ~/.javacpp/cache), settable with {@code --javacpp-cache} or the environment variable
 *       {@value #CACHE_ENV}; and no physical-memory cap, because memory-mapped weights count as resident memory
 *       and would trip JavaCPP's default limit (2 x -Xmx) on a large checkpoint.</li>
 *   <li>DJL tokenizers: offline ({@code ai.djl.offline}: never download from the DJL repository) and the CPU build
 *       bundled in the jar ({@code RUST_FLAVOR=cpu}: never look for a CUDA build to download). DJL reads the
 *       environment first, so DJL_OFFLINE / RUST_FLAVOR set by the user still win.</li>
 *   <li>SLF4J (pulled in by DJL): the no-op provider, unless the user chose one, so no warning lands on stderr.</li>
 * </ul>
 * Only system properties are touched here; the classes that load natives are referenced in method bodies only,
 * so the MI commands can load this class without the LibTorch or DJL jars.
 */
public final class NativeRuntime {
    public static final String CACHE_ENV = "MIPEAKS_JAVACPP_CACHE";
    private static final String CACHE_PROP = "org.bytedeco.javacpp.cachedir";
    private static boolean torchLoaded;

    private NativeRuntime() {
    }

    /** Uses {@code dir} as JavaCPP's cache (must be called before LibTorch is first loaded to have an effect). */
    public static synchronized void javacppCache(Path dir) {
        if (dir != null) {
            System.setProperty(CACHE_PROP, dir.toAbsolutePath().toString());
        }
    }

    /** Sets the properties above that the user has not set. Idempotent. */
    public static synchronized void configure() {
        if (System.getProperty(CACHE_PROP) == null) {
            String env = System.getenv(CACHE_ENV);
            if (env != null && !env.isBlank()) {
                System.setProperty(CACHE_PROP, Path.of(env).toAbsolutePath().toString());
            }
        }
        setIfAbsent("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("RUST_FLAVOR", "cpu");
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            setIfAbsent("slf4j.internal.verbosity", "WARN");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Loads LibTorch (extracting it to the JavaCPP cache on first use); a missing jar is a one-line error. */
    public static synchronized void loadTorch() {
        if (torchLoaded) {
            return;
        }
        configure();
        passiveOpenMp();
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.pytorch.global.torch.class);
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
            throw new MipeaksException(ExitCode.ERROR, "cannot load LibTorch (org.bytedeco:pytorch natives for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        }
        torchLoaded = true;
    }

    /**
     * Sets OMP_WAIT_POLICY=PASSIVE in the process environment (unless the user set it) before libgomp is loaded.
     * LibTorch runs its element-wise kernels on OpenMP threads and its matrix products on OpenBLAS's own threads;
     * with OpenMP's default active waiting, the idle OpenMP threads spin on the cores OpenBLAS needs, and a
     * decode step of a 100M model takes 2.5x longer on 2 cores (116 ms instead of 43 ms). Done through libc's
     * setenv (JNA), since Java cannot change its own environment; without JNA it is skipped.
     */
    private static void passiveOpenMp() {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            LibC.INSTANCE.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (LinkageError e) {
            // no JNA or no libc: LibTorch still works, only slower on a busy CPU
        }
    }

    private interface LibC extends com.sun.jna.Library {
        LibC INSTANCE = com.sun.jna.Native.load("c", LibC.class);

        int setenv(String name, String value, int overwrite);
    }

    /** LibTorch's intra-op CPU threads. */
    public static synchronized void threads(int n) {
        loadTorch();
        org.bytedeco.pytorch.global.torch.set_num_threads(n);
    }

    /** CUDA devices LibTorch sees (0 without the CUDA natives or a driver). */
    public static synchronized int cudaDeviceCount() {
        loadTorch();
        try {
            return org.bytedeco.pytorch.global.torch.cuda_is_available()
                    ? org.bytedeco.pytorch.global.torch.cuda_device_count() : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
