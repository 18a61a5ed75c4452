package dev.mipeaks.eval;

import dev.mipeaks.PyStr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The reference grader's {@code convert_word_number}: {@code str(w2n.word_to_num(text))} of the word2number package
 * (1.1), or the text unchanged where that raises. Its behaviour, which decides answers such as "five" (-> "5") and
 * "0012" (-> "12"):
 * <ul>
 * <li>'-' reads as a space and the text is lower-cased; a text of digits only is that integer;</li>
 * <li>otherwise only the number words among the whitespace-separated words count (every other word is dropped:
 * "five apples" -> 5); none is an error; "thousand", "million", "billion" or "point" twice is an error, as are
 * thousand before million/billion and million before billion;</li>
 * <li>one number word alone is its value ("point" alone is 0); else billions, millions, thousands and the
 * rest are each formed from up to four words: 4 -> a*b + c + d, 3 -> a*b + c, 2 -> a*b when one is hundred else
 * a + b, 1 -> a (an empty group is an error);</li>
 * <li>words after "point" are decimal digits (zero..nine), added as a float; any other word there makes the decimal
 * part the integer 0; the result is printed as Python prints an int or a float ("2.3", "5").</li>
 * </ul>
 */
final class WordNumbers {
    private static final Map<String, Long> WORDS = Map.ofEntries(
            Map.entry("zero", 0L), Map.entry("one", 1L), Map.entry("two", 2L), Map.entry("three", 3L),
            Map.entry("four", 4L), Map.entry("five", 5L), Map.entry("six", 6L), Map.entry("seven", 7L),
            Map.entry("eight", 8L), Map.entry("nine", 9L), Map.entry("ten", 10L), Map.entry("eleven", 11L),
            Map.entry("twelve", 12L), Map.entry("thirteen", 13L), Map.entry("fourteen", 14L),
            Map.entry("fifteen", 15L), Map.entry("sixteen", 16L), Map.entry("seventeen", 17L),
            Map.entry("eighteen", 18L), Map.entry("nineteen", 19L), Map.entry("twenty", 20L), Map.entry("thirty", 30L),
            Map.entry("forty", 40L), Map.entry("fifty", 50L), Map.entry("sixty", 60L), Map.entry("seventy", 70L),
            Map.entry("eighty", 80L), Map.entry("ninety", 90L), Map.entry("hundred", 100L),
            Map.entry("thousand", 1_000L), Map.entry("million", 1_000_000L), Map.entry("billion", 1_000_000_000L));
    private static final String POINT = "point";

    private WordNumbers() {
    }

    /** {@code convert_word_number(text)}. */
    static String convert(String text) {
        try {
            return toNumber(text);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String toNumber(String sentence) {
        String s = sentence.replace('-', ' ').toLowerCase(java.util.Locale.ROOT);
        if (!s.isEmpty() && allDigits(s)) {
            return new java.math.BigInteger(asciiDigits(s)).toString();
        }
        List<String> numbers = new ArrayList<>();
        for (String w : PyStr.splitWhitespace(s)) {
            if (WORDS.containsKey(w) || w.equals(POINT)) {
                numbers.add(w);
            }
        }
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("no number words");
        }
        for (String big : List.of("thousand", "million", "billion", POINT)) {
            if (Collections.frequency(numbers, big) > 1) {
                throw new IllegalArgumentException("redundant " + big);
            }
        }
        List<String> decimals = List.of();
        int point = numbers.indexOf(POINT);
        if (point >= 0) {
            decimals = numbers.subList(point + 1, numbers.size());
            numbers = numbers.subList(0, point);
        }
        int bi = numbers.indexOf("billion");
        int mi = numbers.indexOf("million");
        int th = numbers.indexOf("thousand");
        if ((th > -1 && (th < mi || th < bi)) || (mi > -1 && mi < bi)) {
            throw new IllegalArgumentException("malformed");
        }
        long total = 0;
        int n = numbers.size();
        if (n == 1) {
            total += WORDS.get(numbers.get(0));
        } else if (n > 1) {
            if (bi > -1) {
                total += form(numbers.subList(0, bi)) * 1_000_000_000L;
            }
            if (mi > -1) {
                total += form(bi > -1 ? numbers.subList(bi + 1, mi) : numbers.subList(0, mi)) * 1_000_000L;
            }
            if (th > -1) {
                List<String> g = mi > -1 ? numbers.subList(mi + 1, th)
                        : bi > -1 ? numbers.subList(bi + 1, th) : numbers.subList(0, th);
                total += form(g) * 1_000L;
            }
            long hundreds;
            if (th > -1 && th != n - 1) {
                hundreds = form(numbers.subList(th + 1, n));
            } else if (mi > -1 && mi != n - 1 && th != n - 1) {
                hundreds = form(numbers.subList(mi + 1, n));
            } else if (bi > -1 && bi != n - 1) {
                hundreds = form(numbers.subList(bi + 1, n));
            } else if (th == -1 && mi == -1 && bi == -1) {
                hundreds = form(numbers);
            } else {
                hundreds = 0;
            }
            total += hundreds;
        }
        if (!decimals.isEmpty()) {
            Double d = decimalSum(decimals);
            if (d != null) {
                return PyStr.repr(total + d);
            }
        }
        return Long.toString(total);
    }

    /** number_formation: a group of up to four number words. */
    private static long form(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty group");
        }
        long[] v = new long[words.size()];
        for (int i = 0; i < v.length; i++) {
            Long x = WORDS.get(words.get(i));
            if (x == null) {
                throw new IllegalArgumentException(words.get(i));
            }
            v[i] = x;
        }
        return switch (v.length) {
            case 4 -> v[0] * v[1] + v[2] + v[3];
            case 3 -> v[0] * v[1] + v[2];
            case 2 -> v[0] == 100 || v[1] == 100 ? v[0] * v[1] : v[0] + v[1];
            default -> v[0];
        };
    }

    /** get_decimal_sum: the float "0." + the digits, or null (Python's int 0) when a word is not a digit word. */
    private static Double decimalSum(List<String> words) {
        StringBuilder b = new StringBuilder("0.");
        for (String w : words) {
            Long x = WORDS.get(w);
            if (x == null || x > 9) {
                return null;
            }
            b.append(x);
        }
        return Double.parseDouble(b.toString());
    }

    /** Python's isdigit() for the int() path: only decimal digits convert (others make int() fail). */
    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String asciiDigits(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            b.append((char) ('0' + Character.digit(s.charAt(i), 10)));
        }
        return b.toString();
    }
}
