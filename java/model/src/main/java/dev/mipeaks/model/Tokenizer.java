package dev.mipeaks.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's bindings of the Rust tokenizers library, offline and on the
 * bundled CPU build (see {@link NativeRuntime#configure()}). The vocabulary itself (id to piece) is read from
 * tokenizer.json, since DJL does not expose it.
 */
public final class Tokenizer implements AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tok;
    private final Map<Integer, String> pieces;
    private final Map<String, Integer> ids;
    private final int vocabSize;
    private final java.util.BitSet special;
    private String[] decoded;

    private Tokenizer(Path file, HuggingFaceTokenizer tok, Map<Integer, String> pieces, java.util.BitSet special) {
        this.file = file;
        this.tok = tok;
        this.pieces = pieces;
        this.special = special;
        Map<String, Integer> inv = new HashMap<>();
        int max = -1;
        for (Map.Entry<Integer, String> e : pieces.entrySet()) {
            inv.putIfAbsent(e.getValue(), e.getKey());
            max = Math.max(max, e.getKey());
        }
        this.ids = inv;
        this.vocabSize = max + 1;
    }

    /** Whether {@code dir} has a tokenizer.json. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json"));
    }

    /** Loads {@code dir/tokenizer.json} (and tokenizer_config.json when present). */
    public static Tokenizer load(Path dir) {
        NativeRuntime.configure();
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw MipeaksException.invalid(file + ": no such file");
        }
        JsonNode root = ModelConfig.readJson(file, true);
        Map<Integer, String> pieces = vocabulary(file, root);
        Map<String, String> opts = new HashMap<>();
        opts.put("addSpecialTokens", "true");
        opts.put("truncation", "false");
        opts.put("padding", "false");
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(dir, opts);
            return new Tokenizer(file, t, pieces, specialIds(root));
        } catch (IOException | RuntimeException e) {
            throw MipeaksException.invalid(file + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
    }

    /** id -> piece of the model vocabulary plus added tokens. */
    private static Map<Integer, String> vocabulary(Path file, JsonNode root) {
        Map<Integer, String> out = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) { // BPE, WordPiece, WordLevel: piece -> id
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getValue().asInt(), e.getKey());
            }
        } else if (vocab.isArray()) { // Unigram: [piece, score] at index id
            for (int i = 0; i < vocab.size(); i++) {
                out.put(i, vocab.get(i).get(0).asText());
            }
        } else {
            throw MipeaksException.invalid(file + ": field 'model.vocab' missing");
        }
        for (JsonNode a : root.path("added_tokens")) {
            out.put(a.path("id").asInt(), a.path("content").asText());
        }
        return out;
    }

    /** Ids of tokenizer.json's {@code added_tokens} marked {@code "special": true}. */
    private static java.util.BitSet specialIds(JsonNode root) {
        java.util.BitSet s = new java.util.BitSet();
        for (JsonNode a : root.path("added_tokens")) {
            if (a.path("special").asBoolean(false) && a.path("id").canConvertToInt() && a.path("id").asInt() >= 0) {
                s.set(a.path("id").asInt());
            }
        }
        return s;
    }

    /** Whether tokenizer.json marks {@code id} as a special token (BOS, EOS, padding, chat markers). */
    public boolean isSpecial(int id) {
        return id >= 0 && special.get(id);
    }

    public Path file() {
        return file;
    }

    /** One past the largest id. */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Token ids of {@code text}; {@code addSpecialTokens} applies the tokenizer's post-processor (e.g. Llama 3's
     * BOS), as transformers' {@code add_special_tokens=True}.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        Encoding e = tok.encode(text, addSpecialTokens, false);
        long[] v = e.getIds();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] v = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            v[i] = ids[i];
        }
        return tok.decode(v, skipSpecialTokens);
    }

    /** The text of one id on its own (special tokens included): id 2100 of Llama 3 is " So". */
    public String decode(int id) {
        return tok.decode(new long[] {id}, false);
    }

    /** The raw vocabulary piece of an id ("ĠSo"), or null. */
    public String idToToken(int id) {
        return pieces.get(id);
    }

    /** The id of a raw vocabulary piece, or -1. */
    public int tokenToId(String piece) {
        Integer id = ids.get(piece);
        return id == null ? -1 : id;
    }

    /** The text of every id decoded alone (index = id; "" for ids without a piece), computed once. */
    public synchronized List<String> decodedVocabulary() {
        if (decoded == null) {
            long[][] each = new long[vocabSize][];
            for (int i = 0; i < vocabSize; i++) {
                each[i] = new long[] {i};
            }
            String[] d = tok.batchDecode(each, false);
            for (int i = 0; i < vocabSize; i++) {
                if (!pieces.containsKey(i)) {
                    d[i] = "";
                }
            }
            decoded = d;
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(decoded));
    }

    /** Every id whose text alone is {@code word} or {@code " " + word} (a word with or without a leading space). */
    public int[] idsOfWord(String word) {
        List<String> d = decodedVocabulary();
        List<Integer> out = new ArrayList<>();
        String spaced = " " + word;
        for (int i = 0; i < d.size(); i++) {
            String s = d.get(i);
            if (s.equals(word) || s.equals(spaced)) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        tok.close();
    }
}
