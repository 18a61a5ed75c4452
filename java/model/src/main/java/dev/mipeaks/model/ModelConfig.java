package dev.mipeaks.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The architecture of a Hugging Face causal LM, parsed from its {@code config.json} and validated.
 * Supported: {@code LlamaForCausalLM} (model_type llama) and {@code Qwen2ForCausalLM} (model_type qwen2, which is
 * Llama with biases on q/k/v). Anything this runtime would compute differently from Hugging Face (another
 * model_type, activation, rope type, a sliding window) is rejected with an error naming the field.
 *
 * <p>No LibTorch types here: the MI commands may read configs without the native jars.
 *
 * @param family           LLAMA or QWEN2
 * @param headDim          explicit {@code head_dim} or hidden_size / num_attention_heads
 * @param qkvBias          q/k/v projections carry biases (Qwen2 always; Llama with attention_bias)
 * @param oBias            o_proj carries a bias (Llama with attention_bias)
 * @param ropeScaling      null for plain RoPE
 * @param eosTokenIds      every id that ends generation (config.json merged with generation_config.json)
 */
public record ModelConfig(
        Family family,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean oBias,
        boolean mlpBias,
        int bosTokenId,
        int[] eosTokenIds,
        String torchDtype) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Family { LLAMA, QWEN2 }

    /** Llama 3 frequency-dependent RoPE scaling ({@code rope_scaling.rope_type = "llama3"}). */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    }

    /** Query heads per key/value head (1 = MHA, numHeads = MQA). */
    public int groups() {
        return numHeads / numKvHeads;
    }

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** Number of parameters (weights only, tied head counted once). */
    public long parameterCount() {
        long h = hiddenSize;
        long attn = h * qDim() + 2 * h * kvDim() + (long) qDim() * h;
        if (qkvBias) {
            attn += qDim() + 2L * kvDim();
        }
        if (oBias) {
            attn += h;
        }
        long mlp = 3 * h * intermediateSize + (mlpBias ? 2L * intermediateSize + h : 0);
        long perLayer = attn + mlp + 2 * h;
        long emb = (long) vocabSize * h;
        return numLayers * perLayer + emb + (tieWordEmbeddings ? 0 : emb) + h;
    }

    public boolean isEos(long id) {
        for (int e : eosTokenIds) {
            if (e == id) {
                return true;
            }
        }
        return false;
    }

    /** Reads {@code dir/config.json} and, when present, {@code dir/generation_config.json} (for eos ids). */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve("config.json");
        JsonNode root = readJson(file, true);
        ModelConfig c = parse(root, file.toString());
        Path gen = dir.resolve("generation_config.json");
        JsonNode g = readJson(gen, false);
        if (g != null && g.has("eos_token_id") && !g.get("eos_token_id").isNull()) {
            int[] extra = ids(g.get("eos_token_id"), gen + ": field 'eos_token_id'");
            c = c.withEos(union(c.eosTokenIds, extra));
        }
        return c;
    }

    static JsonNode readJson(Path file, boolean required) {
        try {
            String text = Files.readString(file);
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw MipeaksException.invalid(file + ": not a JSON object");
            }
            return n;
        } catch (NoSuchFileException e) {
            if (required) {
                throw MipeaksException.invalid(file + ": no such file");
            }
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MipeaksException.invalid(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses and validates a config.json tree; {@code where} names the file in errors. */
    public static ModelConfig parse(JsonNode root, String where) {
        Fields f = new Fields(root, where);
        String modelType = f.string("model_type");
        Family family = switch (modelType) {
            case "llama" -> Family.LLAMA;
            case "qwen2" -> Family.QWEN2;
            default -> throw f.bad("model_type", "'" + modelType + "' is not supported (llama, qwen2)");
        };
        JsonNode arch = root.get("architectures");
        if (arch != null && arch.isArray() && arch.size() > 0) {
            String a = arch.get(0).asText();
            String want = family == Family.LLAMA ? "LlamaForCausalLM" : "Qwen2ForCausalLM";
            if (!a.equals(want)) {
                throw f.bad("architectures", "'" + a + "' is not supported for model_type " + modelType + " (" + want + ")");
            }
        }
        String act = f.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.bad("hidden_act", "'" + act + "' is not supported (silu)");
        }
        int hidden = f.positiveInt("hidden_size");
        int inter = f.positiveInt("intermediate_size");
        int layers = f.positiveInt("num_hidden_layers");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
                ? f.positiveInt("num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw f.bad("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        int headDim;
        if (root.has("head_dim") && !root.get("head_dim").isNull()) {
            headDim = f.positiveInt("head_dim");
        } else {
            if (hidden % heads != 0) {
                throw f.bad("hidden_size", hidden + " is not a multiple of num_attention_heads " + heads
                        + " and there is no head_dim");
            }
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) {
            throw f.bad("head_dim", headDim + " is odd: rotary embeddings need an even head dimension");
        }
        int vocab = f.positiveInt("vocab_size");
        int maxPos = f.positiveInt("max_position_embeddings");
        double eps = f.positiveDouble("rms_norm_eps");
        double theta = root.has("rope_theta") ? f.positiveDouble("rope_theta") : 10000.0;
        RopeScaling scaling = ropeScaling(root.get("rope_scaling"), f);
        if (root.has("partial_rotary_factor") && root.get("partial_rotary_factor").asDouble(1.0) != 1.0) {
            throw f.bad("partial_rotary_factor", root.get("partial_rotary_factor") + " is not supported (1.0)");
        }
        if (family == Family.QWEN2 && root.path("use_sliding_window").asBoolean(false)) {
            throw f.bad("use_sliding_window", "true is not supported (sliding-window attention)");
        }
        if (family == Family.LLAMA && root.has("sliding_window") && !root.get("sliding_window").isNull()) {
            throw f.bad("sliding_window", root.get("sliding_window") + " is not supported for llama");
        }
        boolean attnBias = f.optBool("attention_bias", false);
        boolean mlpBias = f.optBool("mlp_bias", false);
        // Qwen2 always has q/k/v biases and never an o_proj bias, whatever attention_bias says.
        boolean qkvBias = family == Family.QWEN2 || attnBias;
        boolean oBias = family == Family.LLAMA && attnBias;
        if (family == Family.QWEN2) {
            mlpBias = false;
        }
        boolean tie = f.optBool("tie_word_embeddings", false); // LlamaConfig and Qwen2Config default
        int bos = root.has("bos_token_id") && !root.get("bos_token_id").isNull()
                ? ids(root.get("bos_token_id"), where + ": field 'bos_token_id'")[0] : -1;
        int[] eos = root.has("eos_token_id") && !root.get("eos_token_id").isNull()
                ? ids(root.get("eos_token_id"), where + ": field 'eos_token_id'") : new int[0];
        for (int e : eos) {
            if (e < 0 || e >= vocab) {
                throw f.bad("eos_token_id", e + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        String dtype = f.optString("torch_dtype", f.optString("dtype", "float32"));
        return new ModelConfig(family, hidden, inter, layers, heads, kvHeads, headDim, vocab, maxPos, eps, theta,
                scaling, tie, qkvBias, oBias, mlpBias, bos, eos, dtype);
    }

    private static RopeScaling ropeScaling(JsonNode n, Fields f) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw f.bad("rope_scaling", "is not an object");
        }
        JsonNode t = n.has("rope_type") ? n.get("rope_type") : n.get("type");
        String type = t == null ? "default" : t.asText();
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw f.bad("rope_scaling.rope_type", "'" + type + "' is not supported (default, llama3)");
        }
        Fields s = new Fields(n, f.where);
        s.prefix = "rope_scaling.";
        double factor = s.positiveDouble("factor");
        double low = s.positiveDouble("low_freq_factor");
        double high = s.positiveDouble("high_freq_factor");
        int orig = s.positiveInt("original_max_position_embeddings");
        if (!(high > low)) {
            throw s.bad("high_freq_factor", high + " must be greater than low_freq_factor " + low);
        }
        return new RopeScaling(factor, low, high, orig);
    }

    private ModelConfig withEos(int[] eos) {
        return new ModelConfig(family, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, vocabSize,
                maxPositionEmbeddings, rmsNormEps, ropeTheta, ropeScaling, tieWordEmbeddings, qkvBias, oBias, mlpBias,
                bosTokenId, eos, torchDtype);
    }

    private static int[] union(int[] a, int[] b) {
        return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().toArray();
    }

    private static int[] ids(JsonNode n, String where) {
        if (n.isInt()) {
            return new int[] {n.asInt()};
        }
        if (n.isArray()) {
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isInt()) {
                    throw MipeaksException.invalid(where + ": element " + i + " is not an integer (" + n.get(i) + ")");
                }
                out[i] = n.get(i).asInt();
            }
            return out;
        }
        throw MipeaksException.invalid(where + ": expected an integer or a list of integers, got " + n);
    }

    /** Field access that turns every problem into a one-line error naming the file and the field. */
    private static final class Fields {
        final JsonNode root;
        final String where;
        String prefix = "";

        Fields(JsonNode root, String where) {
            this.root = root;
            this.where = where;
        }

        MipeaksException bad(String field, String why) {
            return MipeaksException.invalid(where + ": field '" + prefix + field + "': " + why);
        }

        JsonNode required(String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                throw bad(field, "missing");
            }
            return n;
        }

        String string(String field) {
            JsonNode n = required(field);
            if (!n.isTextual()) {
                throw bad(field, "expected a string, got " + n);
            }
            return n.asText();
        }

        String optString(String field, String dflt) {
            JsonNode n = root.get(field);
            return n == null || n.isNull() ? dflt : n.asText();
        }

        boolean optBool(String field, boolean dflt) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                throw bad(field, "expected true or false, got " + n);
            }
            return n.asBoolean();
        }

        int positiveInt(String field) {
            JsonNode n = required(field);
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
                throw bad(field, "expected a positive integer, got " + n);
            }
            return n.asInt();
        }

        double positiveDouble(String field) {
            JsonNode n = required(field);
            if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
                throw bad(field, "expected a positive number, got " + n);
            }
            return n.asDouble();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ModelConfig[" + family + ", hidden " + hiddenSize + ", intermediate " + intermediateSize + ", layers "
                + numLayers + ", heads " + numHeads + "/" + numKvHeads + " x " + headDim + ", vocab " + vocabSize
                + ", rope " + ropeTheta + (ropeScaling == null ? "" : " " + ropeScaling) + ", tied " + tieWordEmbeddings
                + ", qkvBias " + qkvBias + ", oBias " + oBias + ", mlpBias " + mlpBias + ", eos "
                + Arrays.toString(eosTokenIds) + ", dtype " + torchDtype + "]";
    }
}
