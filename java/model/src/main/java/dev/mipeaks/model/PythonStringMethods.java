package dev.mipeaks.model;

import dev.mipeaks.PyStr;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} methods for Jinja templates rendered by jinjava, whose strings are Java strings: Hugging Face
 * chat templates call {@code .strip()}, {@code .lstrip('\n')}, {@code .startswith(...)}, {@code .split(...)} etc.
 * Placed before jinjava's own resolver; anything else is left to it.
 */
final class PythonStringMethods extends ELResolver {
    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result;
        switch (method.toString()) {
            case "strip" -> result = strip(s, arg(p, 0), true, true);
            case "lstrip" -> result = strip(s, arg(p, 0), true, false);
            case "rstrip" -> result = strip(s, arg(p, 0), false, true);
            case "startswith" -> result = s.startsWith(String.valueOf(p[0]));
            case "endswith" -> result = s.endsWith(String.valueOf(p[0]));
            case "split" -> result = split(s, arg(p, 0), p.length > 1 ? ((Number) p[1]).intValue() : -1);
            case "upper" -> result = s.toUpperCase(Locale.ROOT);
            case "lower" -> result = s.toLowerCase(Locale.ROOT);
            case "title" -> result = title(s);
            case "capitalize" -> result = s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> result = s.replace(String.valueOf(p[0]), String.valueOf(p[1]));
            case "find" -> result = (long) s.indexOf(String.valueOf(p[0]));
            case "count" -> result = (long) ((s.length() - s.replace(String.valueOf(p[0]), "").length())
                    / Math.max(1, String.valueOf(p[0]).length()));
            case "join" -> result = join(s, p[0]);
            default -> {
                return null;
            }
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static String arg(Object[] p, int i) {
        return p.length > i && p[i] != null ? String.valueOf(p[i]) : null;
    }

    /** Python strip / lstrip / rstrip ({@link PyStr}): {@code chars} null means Python's whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        if (chars == null) {
            return left && right ? PyStr.strip(s) : left ? PyStr.lstrip(s) : right ? PyStr.rstrip(s) : s;
        }
        return left && right ? PyStr.strip(s, chars) : left ? PyStr.lstrip(s, chars) : right ? PyStr.rstrip(s, chars) : s;
    }

    /** Python split ({@link PyStr}): {@code sep} null splits on runs of whitespace (maxSplit then ignored if < 0). */
    static List<String> split(String s, String sep, int maxSplit) {
        if (sep != null) {
            return PyStr.split(s, sep, maxSplit);
        }
        List<String> words = PyStr.splitWhitespace(s);
        if (maxSplit < 0 || words.size() <= maxSplit + 1) {
            return words;
        }
        // Python keeps the rest of the string, from the (maxSplit+1)-th word on, as the last piece
        List<String> out = new ArrayList<>(words.subList(0, maxSplit));
        String rest = PyStr.lstrip(s);
        for (int i = 0; i < maxSplit; i++) {
            rest = PyStr.lstrip(rest.substring(words.get(i).length()));
        }
        out.add(rest);  // Python keeps the remainder's trailing whitespace
        return out;
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return b.toString();
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) {
            it.forEach(x -> parts.add(String.valueOf(x)));
        } else if (items instanceof Object[] arr) {
            Arrays.stream(arr).forEach(x -> parts.add(String.valueOf(x)));
        } else {
            return String.valueOf(items);
        }
        return String.join(sep, parts);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not ours
    }
}
