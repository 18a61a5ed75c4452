package dev.mipeaks.pipeline;

import dev.mipeaks.analysis.Vocabulary;
import dev.mipeaks.model.Tokenizer;
import java.util.List;

/**
 * The thinking-token table's view of a real tokenizer: every id decoded on its own (computed once by the
 * tokenizer), so that a word's row lists every vocabulary id that spells it, not only the ids seen at peaks.
 */
public final class TokenizerVocabulary implements Vocabulary {
    private final List<String> decoded;

    public TokenizerVocabulary(Tokenizer tokenizer) {
        this.decoded = tokenizer.decodedVocabulary();
    }

    @Override
    public int size() {
        return decoded.size();
    }

    @Override
    public String decode(int id) {
        return decoded.get(id);
    }
}
