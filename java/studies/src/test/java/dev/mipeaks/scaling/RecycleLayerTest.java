package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import org.junit.jupiter.api.Test;

class RecycleLayerTest {
    @Test
    void thePaperFractionIsLayer23Of32AndScalesWithDepth() {
        assertEquals(23, RecycleLayer.resolve(RecycleLayer.PAPER_FRACTION, 32));
        assertEquals(23, RecycleLayer.resolve(null, 32));
        assertEquals(20, RecycleLayer.resolve("0.72", 28));
        assertEquals(1, RecycleLayer.resolve("0.72", 2));
        assertEquals(0, RecycleLayer.resolve("0.0", 32));
        assertEquals(31, RecycleLayer.resolve("1.0", 32));
        assertEquals(1, RecycleLayer.resolve("1", 32)); // an integer is an index, not a fraction
    }

    @Test
    void midAndIndices() {
        assertEquals(16, RecycleLayer.resolve("mid", 32));
        assertEquals(14, RecycleLayer.resolve(" MID ", 28));
        assertEquals(0, RecycleLayer.resolve("mid", 1));
        assertEquals(23, RecycleLayer.resolve("23", 32));
        assertEquals(31, RecycleLayer.resolve("31", 32));
    }

    @Test
    void badValuesNameTheOption() {
        for (String bad : new String[] {"32", "-1", "1.5", "-0.1", "middle", "", "NaN", "99999999999"}) {
            MipeaksException e = assertThrows(MipeaksException.class, () -> RecycleLayer.resolve(bad, 32), bad);
            assertTrue(e.getMessage().startsWith("--layer " + bad + ":"), e.getMessage());
        }
        assertThrows(MipeaksException.class, () -> RecycleLayer.checkForm("abc"));
        RecycleLayer.checkForm("100"); // the range needs the model
    }
}
