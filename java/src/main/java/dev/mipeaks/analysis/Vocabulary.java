package dev.mipeaks.analysis;

/**
 * A tokenizer's vocabulary as the thinking-token table needs it: {@code decode(id)} is the text of that single id
 * (as the tokenizer decodes it alone, e.g. " So", "Wait", "\n\n"). Implemented over the real tokenizer elsewhere
 * and by small fakes in tests.
 */
public interface Vocabulary {
    int size();

    String decode(int id);
}
