package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chat templates' Python string methods, by Python's own answers (CPython 3.12). */
class PythonStringMethodsTest {
    @Test
    void stripUsesPythonWhitespace() {
        assertEquals("x", PythonStringMethods.strip("\u00a0 x\u2007\n", null, true, true));   // ' x'.strip() in Python
        assertEquals("x\u00a0", PythonStringMethods.strip("\u00a0x\u00a0", null, true, false)); // lstrip
        assertEquals("ab", PythonStringMethods.strip("xxabx", "x", true, true));
    }

    @Test
    void splitLikePython() {
        assertEquals(List.of("a", "b", "c"), PythonStringMethods.split("  a b\t c ", null, -1));
        assertEquals(List.of("a", "b  c "), PythonStringMethods.split("  a b  c ", null, 1));  // '  a b  c '.split(None, 1)
        assertEquals(List.of("a", "", "b"), PythonStringMethods.split("a,,b", ",", -1));
        assertEquals(List.of("a", ",b"), PythonStringMethods.split("a,,b", ",", 1));
        assertEquals(List.of(), PythonStringMethods.split("   ", null, -1));
    }
}
