package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built PTX holds an entry point for every estimator that declares a GPU kernel. */
class KernelEntriesTest {

    @Test
    void everyDeclaredKernelIsInThePtx() {
        KernelLibrary lib = GpuTestSupport.requireKernels();
        List<String> entries = lib.entries();
        int declared = 0;
        for (EstimatorProvider p : EstimatorRegistry.load().all()) {
            if (p.gpuKernel().isEmpty()) {
                continue;
            }
            declared++;
            String base = KernelBindings.entryBase(p.gpuKernel().get());
            for (String dt : new String[] {"_f32", "_bf16"}) {
                assertTrue(entries.contains(base + dt), p.name() + ": no '.entry " + base + dt + "' in the PTX " + entries);
                KernelLibrary.Module m = lib.moduleFor(base + dt);
                assertTrue(m.ptx().contains(".entry " + base + dt + "("), m.name() + ".ptx text lacks .entry " + base + dt);
                assertEquals(2, KernelLibrary.abiVersion(m.ptx()), m.name() + ": kernel ABI version (grouped trajectories need 2)");
            }
            assertTrue(Devices.binding(p).isPresent(), p.name() + ": declares " + p.gpuKernel().get() + " but has no KernelBinding");
            if (Devices.binding(p).get().lowRank()) {  // m > 8 * threads (m > 4096 at 512 threads) takes the _x16 entries
                for (String dt : new String[] {"_f32_x16", "_bf16_x16"}) {
                    assertTrue(entries.contains(base + dt), p.name() + ": no '.entry " + base + dt + "' in the PTX " + entries);
                }
            }
        }
        assertTrue(declared >= 4, "expected the built-in nhsic, hsic, cka-linear, cka-rbf to declare kernels, found " + declared);
    }

    @Test
    void cubinsForSm80AndSm90AreBuilt() {
        KernelLibrary lib = GpuTestSupport.requireKernels();
        for (KernelLibrary.Module m : lib.modules()) {
            assertTrue(m.cubins().containsKey("80") && m.cubins().containsKey("90"), m.name() + " cubins: " + m.cubins().keySet());
            assertTrue(m.ptx().contains(".target sm_80"), m.name() + ".ptx is not compute_80 PTX");
        }
    }

    @Test
    void entryScanAndSuffixes() {
        assertEquals(List.of("a_f32", "b_bf16"), KernelLibrary.entriesOf(".visible .entry a_f32(\n.param\n) .entry  b_bf16(\n"));
        assertEquals("mipeaks_nhsic", KernelBindings.entryBase("mipeaks_nhsic_bf16"));
        assertEquals("mipeaks_nhsic", KernelBindings.entryBase("mipeaks_nhsic_f32"));
        assertEquals("mipeaks_nhsic", KernelBindings.entryBase("mipeaks_nhsic"));
        assertFalse(KernelLibrary.entriesOf("no entries").iterator().hasNext());
        // grouped trajectories need ABI 2 (y_group); a module that does not declare its version is ABI 1
        assertEquals(2, KernelLibrary.abiVersion("// x\n.global .align 4 .u32 mipeaks_abi_version = 2;\n.visible .entry a_f32("));
        assertEquals(1, KernelLibrary.abiVersion(".visible .entry a_f32(\n"));
    }
}
