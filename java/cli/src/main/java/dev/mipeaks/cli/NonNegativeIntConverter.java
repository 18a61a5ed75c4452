package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.util.List;
import picocli.CommandLine.ITypeConverter;

/**
 * One element of a comma-separated list of non-negative integers (token ids, token budgets, word counts; the
 * options declare {@code split = ","}). A bad element is exit 2 with the option's name: {@code --budget: 'x' is not
 * an integer}, {@code --top-words: -1 is negative}. Picocli makes converters by class, so each option that takes
 * such a list has its subclass here naming it.
 */
abstract class NonNegativeIntConverter implements ITypeConverter<Integer> {
    private final String option;

    NonNegativeIntConverter(String option) {
        this.option = option;
    }

    @Override
    public Integer convert(String value) {
        return parse(value, option);
    }

    /** {@code value} (trimmed) as an integer >= 0; {@code option} names the option in the error. */
    static int parse(String value, String option) {
        String s = value.trim();
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw MipeaksException.invalid(option + ": '" + s + "' is not an integer");
        }
        if (n < 0) {
            throw MipeaksException.invalid(option + ": " + n + " is negative");
        }
        return n;
    }

    /** A list option's values (each converted here) as an array; an empty list is exit 2. */
    static int[] array(List<Integer> values, String option) {
        if (values.isEmpty()) {
            throw MipeaksException.invalid(option + ": empty list");
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code trace --prompt-ids}. */
    static final class PromptIds extends NonNegativeIntConverter {
        PromptIds() {
            super("--prompt-ids");
        }
    }

    /** {@code rr --trigger-ids}. */
    static final class TriggerIds extends NonNegativeIntConverter {
        TriggerIds() {
            super("--trigger-ids");
        }
    }

    /** {@code ttts --budget}. */
    static final class Budgets extends NonNegativeIntConverter {
        Budgets() {
            super("--budget");
        }
    }

    /** {@code suppress --top-words} (and its old name --count, reported under the new name). */
    static final class TopWords extends NonNegativeIntConverter {
        TopWords() {
            super(OptionVocabulary.TOP_WORDS);
        }
    }
}
