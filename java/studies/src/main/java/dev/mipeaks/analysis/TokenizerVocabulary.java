package dev.mipeaks.analysis;

import dev.mipeaks.model.Tokenizer;
import java.util.List;

/**
 * The thinking-token table's view of a real tokenizer: every id decoded on its own (computed once by the
 * tokenizer), so that a word's row lists every vocabulary id that spells it, not only the ids seen at peaks.
 */
public final class TokenizerVocabulary implements Vocabulary {
    private final List<String> decoded;
    private final java.util.BitSet special = new java.util.BitSet();

    public TokenizerVocabulary(Tokenizer tokenizer) {
        this.decoded = tokenizer.decodedVocabulary();
        for (int id = 0; id < decoded.size(); id++) {
            if (tokenizer.isSpecial(id)) {
                special.set(id);
            }
        }
    }

    @Override
    public boolean special(int id) {
        return id >= 0 && special.get(id);
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
