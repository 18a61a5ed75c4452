package dev.mipeaks.scaling;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.analysis.TokenizerVocabulary;
import dev.mipeaks.analysis.Vocabulary;
import dev.mipeaks.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The token ids that may trigger Representation Recycling, and where they came from.
 *
 * <p>From a table, the words are RR_evaluate.py's: the first {@code top} entries in the table's order whose word is
 * alphabetic ({@link ThinkingTable#rrTriggerWords}), and the trigger set is the union of their {@code token_ids}.
 * Those ids apply only to the vocabulary the table was made with, so they are used as they are only when they fit
 * the model: every id is below the model's vocabulary size and, when the model has a tokenizer, each id decodes to
 * its word (surrounding whitespace aside, any case). Otherwise (or with {@code mapWords}) the words are mapped through
 * the model's own tokenizer by the table's own rule ({@link ThinkingTokens#idsOfWord}: every id whose text, leading
 * whitespace other than newlines removed, is the word).
 *
 * @param ids      sorted, distinct
 * @param words    the table words (empty for explicit ids)
 * @param source   {@code ids} (given), {@code table} (the table's ids) or {@code mapped} (through the tokenizer)
 * @param unmapped the words that gave no id (mapped through a tokenizer in which they are no single token): they
 *                 never trigger
 */
public record TriggerSet(int[] ids, List<String> words, String source, List<String> unmapped) {

    public TriggerSet {
        words = List.copyOf(words);
        unmapped = List.copyOf(unmapped);
    }

    public TriggerSet(int[] ids, List<String> words, String source) {
        this(ids, words, source, List.of());
    }

    /**
     * One line for the terminal: how many ids from how many words and where from, e.g. {@code 1 trigger id from 1
     * of 10 words (mapped through the model's tokenizer): "I" (40); no id: "So", "Let", ...}.
     */
    public String describe(Tokenizer tokenizer) {
        StringBuilder sb = new StringBuilder();
        sb.append(ids.length).append(ids.length == 1 ? " trigger id" : " trigger ids");
        if (words.isEmpty()) {
            return sb.append(" (given): ").append(shownIds(tokenizer)).toString();
        }
        sb.append(" from ").append(words.size() - unmapped.size()).append(" of ").append(words.size()).append(" words (")
                .append(source.equals("table") ? "the table's ids" : "mapped through the model's tokenizer")
                .append("): ").append(shownIds(tokenizer));
        if (!unmapped.isEmpty()) {
            sb.append("; no single-token id: ").append(String.join(", ",
                    unmapped.stream().map(dev.mipeaks.analysis.TokenText::quote).toList()));
        }
        return sb.toString();
    }

    private String shownIds(Tokenizer tokenizer) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(tokenizer == null ? Integer.toString(id) : dev.mipeaks.analysis.TokenText.show(tokenizer.decode(id), id));
            if (out.size() == 12 && ids.length > 12) {
                out.add("+" + (ids.length - 12) + " more");
                break;
            }
        }
        return String.join(", ", out);
    }

    /**
     * A warning when most trigger words have no id (so recycling fires on a handful of tokens, or almost never), or
     * null.
     */
    public String mappingWarning() {
        if (words.isEmpty() || 2 * unmapped.size() <= words.size()) {
            return null;
        }
        return unmapped.size() + " of " + words.size() + " trigger words have no single-token id in this model's "
                + "vocabulary (" + String.join(", ", unmapped.stream().map(dev.mipeaks.analysis.TokenText::quote).toList())
                + "): recycling can fire only on the other " + (words.size() - unmapped.size()) + "; give "
                + "--trigger-ids or a table made with this model's tokenizer";
    }

    public static TriggerSet explicit(int[] ids, int vocabSize) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw MipeaksException.invalid("--trigger-ids: " + id + " outside the model's vocabulary [0, " + vocabSize + ")");
            }
            s.add(id);
        }
        return new TriggerSet(s.stream().mapToInt(Integer::intValue).toArray(), List.of(), "ids");
    }

    /**
     * @param tokenizer the model's tokenizer (null when the model has none: then the table's ids must fit)
     */
    public static TriggerSet fromTable(ThinkingTable table, int top, int vocabSize, Tokenizer tokenizer,
                                       boolean mapWords) {
        List<ThinkingTable.Entry> chosen = table.rrTriggerWords(top);
        if (chosen.isEmpty()) {
            throw MipeaksException.invalid(table.file() + ": no purely alphabetic word to use as a trigger");
        }
        List<String> words = chosen.stream().map(ThinkingTable.Entry::word).toList();
        String why = mapWords ? null : tableMismatch(chosen, vocabSize, tokenizer);
        TreeSet<Integer> ids = new TreeSet<>();
        List<String> unmapped = new ArrayList<>();
        String source;
        if (!mapWords && why == null) {
            for (ThinkingTable.Entry e : chosen) {
                for (int id : e.tokenIds()) {
                    ids.add(id);
                }
            }
            source = "table";
        } else {
            if (tokenizer == null) {
                throw MipeaksException.invalid(table.file() + ": " + (why == null ? "--map-words" : why)
                        + ", and the model has no tokenizer.json to map the words; give --trigger-ids");
            }
            Vocabulary vocab = new TokenizerVocabulary(tokenizer);
            for (String w : words) {
                boolean any = false;
                for (int id : ThinkingTokens.idsOfWord(vocab, w)) {
                    if (id < vocabSize) {
                        ids.add(id);
                        any = true;
                    }
                }
                if (!any) {
                    unmapped.add(w);
                }
            }
            source = "mapped";
        }
        if (ids.isEmpty()) {
            throw MipeaksException.invalid(table.file() + ": none of the words " + words
                    + " is a single token of the model's vocabulary; give --trigger-ids");
        }
        return new TriggerSet(ids.stream().mapToInt(Integer::intValue).toArray(), words, source, unmapped);
    }

    /** Why the table's ids do not belong to this model's vocabulary, or null when they do. */
    static String tableMismatch(List<ThinkingTable.Entry> chosen, int vocabSize, Tokenizer tokenizer) {
        for (ThinkingTable.Entry e : chosen) {
            for (int id : e.tokenIds()) {
                if (id >= vocabSize) {
                    return "token id " + id + " of '" + e.word() + "' is outside the model's vocabulary [0, " + vocabSize + ")";
                }
                if (tokenizer != null) {
                    String text = tokenizer.decode(id).trim();
                    if (!text.toLowerCase(Locale.ROOT).equals(e.word().toLowerCase(Locale.ROOT))) {
                        return "token id " + id + " of '" + e.word() + "' is '" + text + "' in the model's vocabulary";
                    }
                }
            }
        }
        return null;
    }

    /** For config.json and reports. */
    public List<Integer> idList() {
        List<Integer> l = new ArrayList<>();
        for (int id : ids) {
            l.add(id);
        }
        return l;
    }
}
