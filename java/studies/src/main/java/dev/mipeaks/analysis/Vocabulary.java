package dev.mipeaks.analysis;

/**
 * A tokenizer's vocabulary as the thinking-token table needs it: {@code decode(id)} is the text of that single id
 * (as the tokenizer decodes it alone, e.g. " So", "Wait", "\n\n"), {@code special(id)} whether the tokenizer marks
 * the id special ({@code <|eos|>}, BOS, padding: left out of thinking-token tables by default). Implemented over the
 * real tokenizer elsewhere and by small fakes in tests.
 */
public interface Vocabulary {
    int size();

    String decode(int id);

    /** Whether the tokenizer marks {@code id} as a special token (default: none is). */
    default boolean special(int id) {
        return false;
    }
}
