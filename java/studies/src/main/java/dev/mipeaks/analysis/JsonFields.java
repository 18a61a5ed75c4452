package dev.mipeaks.analysis;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to fields of run JSON files; every failure is an invalid-input error of one line naming the file
 * and the field. NaN and Infinity literals (which Python's json module writes) are accepted by the parser so that
 * they can be reported as a bad value of a named field instead of a parse error.
 */
public final class JsonFields {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonFields() {
    }

    public static JsonNode readFile(Path file) {
        return parse(file, TextFiles.readUtf8(file), null);
    }

    /** Parses one JSON document; {@code line} (1-based) is named in errors for JSONL files, null otherwise. */
    static JsonNode parse(Path file, String text, Integer line) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw MipeaksException.invalid(where(file, line) + ": expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw MipeaksException.invalid(where(file, line) + ": invalid JSON (" + msg + ")");
        }
    }

    static String where(Path file, Integer line) {
        return line == null ? file.toString() : file + ": line " + line;
    }

    static JsonNode field(JsonNode obj, String name, String where) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw MipeaksException.invalid(where + ": field '" + name + "' is missing");
        }
        return n;
    }

    static String text(JsonNode obj, String name, String where) {
        JsonNode n = field(obj, name, where);
        if (!n.isTextual()) {
            throw MipeaksException.invalid(where + ": field '" + name + "' must be a string, got " + n.getNodeType());
        }
        return n.asText();
    }

    static String optText(JsonNode obj, String name, String where) {
        JsonNode n = obj.get(name);
        return n == null || n.isNull() ? null : text(obj, name, where);
    }

    static int integer(JsonNode obj, String name, String where) {
        JsonNode n = field(obj, name, where);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw MipeaksException.invalid(where + ": field '" + name + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    static JsonNode array(JsonNode obj, String name, String where) {
        JsonNode n = field(obj, name, where);
        if (!n.isArray()) {
            throw MipeaksException.invalid(where + ": field '" + name + "' must be an array, got " + n.getNodeType());
        }
        return n;
    }

    static int[] intArray(JsonNode obj, String name, String where) {
        JsonNode a = array(obj, name, where);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw MipeaksException.invalid(where + ": field '" + name + "'[" + i + "] must be an integer, got " + v);
            }
            out[i] = v.asInt();
        }
        return out;
    }

    static List<String> stringList(JsonNode obj, String name, String where) {
        JsonNode a = array(obj, name, where);
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode v = a.get(i);
            if (!v.isTextual()) {
                throw MipeaksException.invalid(where + ": field '" + name + "'[" + i + "] must be a string, got " + v);
            }
            out.add(v.asText());
        }
        return out;
    }

    /** An array of finite doubles; {@code label} is how the field is named in errors (e.g. "mi.12"). */
    static double[] finiteArray(JsonNode a, String label, String where) {
        if (a == null || !a.isArray()) {
            throw MipeaksException.invalid(where + ": field '" + label + "' must be an array of numbers");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber()) {
                throw MipeaksException.invalid(where + ": field '" + label + "'[" + i + "] must be a number, got " + v);
            }
            double d = v.asDouble();
            if (!Double.isFinite(d)) {
                throw MipeaksException.invalid(where + ": field '" + label + "'[" + i + "] is " + d
                        + " (MI must be finite)");
            }
            out[i] = d;
        }
        return out;
    }
}
