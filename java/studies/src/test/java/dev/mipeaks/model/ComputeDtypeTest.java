package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import org.junit.jupiter.api.Test;

/** float32 is the compute default on every device (the reference runs its models in float32 on the GPU). */
class ComputeDtypeTest {
    @Test
    void float32UnlessAskedOtherwise() {
        assertEquals(ComputeDtype.F32, ComputeDtype.parse(null));
        assertEquals("f32", ComputeDtype.resolve(null));
        assertEquals(ComputeDtype.BF16, ComputeDtype.parse("bfloat16"));
        assertEquals(ComputeDtype.F16, ComputeDtype.parse(" F16 "));
        // rr/ttts/suppress on CUDA without --dtype: float32 too
        assertEquals("f32", new dev.mipeaks.scaling.ScalingContext.Options(null, null, null, 0, -1, null, "cuda", null, false)
                .resolvedDtype());
    }

    @Test
    void unknownDtypeIsInvalidInputNamingTheOption() {
        MipeaksException e = assertThrows(MipeaksException.class, () -> ComputeDtype.parse("int8"));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("--dtype int8"), e.getMessage());
    }
}
