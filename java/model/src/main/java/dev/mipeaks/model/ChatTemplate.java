package dev.mipeaks.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face {@code chat_template} (Jinja2) rendered with jinjava the way transformers does:
 * {@code trim_blocks} and {@code lstrip_blocks} on, {@code messages}, {@code add_generation_prompt},
 * {@code bos_token}/{@code eos_token} in the context, and {@code raise_exception(msg)} defined.
 *
 * <p>jinjava is Jinja for Java, not Python: Python string methods ({@code .strip()}, {@code .startswith()},
 * {@code .split()}...) come from {@link PythonStringMethods}, and a reversed slice {@code xs[::-1]} (which jinjava
 * cannot parse) is rewritten to {@code (xs|reverse|list)} before compiling. Immutable; {@link #render} is safe to
 * call from several threads (each call gets its own interpreter).
 */
public final class ChatTemplate {
    private static final Pattern REVERSE_SLICE = Pattern.compile("([A-Za-z_][\\w.]*)\\[::-1\\]");
    private static final Pattern NOT_IS = Pattern.compile(
            "\\bnot\\s+([A-Za-z_][\\w.]*(?:\\[[^\\]]*\\])*)\\s+is\\s+(not\\s+)?(\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    public ChatTemplate(String template, String bosToken, String eosToken, String source) {
        this.source = source;
        this.template = pythonToJinjava(template);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        try {
            jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                    "raiseException", Object.class));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot register raise_exception", e);
        }
    }

    /**
     * Rewrites the few Jinja2 (Python) constructs that jinjava parses differently, keeping their meaning:
     * {@code xs[::-1]} -> {@code (xs|reverse|list)}; {@code not x is defined} -> {@code not (x is defined)}
     * (in Jinja2 {@code not} binds looser than {@code is}); {@code namespace(k=a|f - 1)} ->
     * {@code namespace(k=(a|f - 1))} (jinjava would apply the filter to the named parameter).
     */
    static String pythonToJinjava(String t) {
        t = REVERSE_SLICE.matcher(t).replaceAll("($1|reverse|list)");
        t = NOT_IS.matcher(t).replaceAll("not ($1 is $2$3)");
        StringBuilder b = new StringBuilder();
        int from = 0;
        while (true) {
            int at = t.indexOf("namespace(", from);
            if (at < 0) {
                b.append(t.substring(from));
                return b.toString();
            }
            int open = at + "namespace".length();
            int close = closingParen(t, open);
            if (close < 0) {
                b.append(t.substring(from));
                return b.toString();
            }
            b.append(t, from, open + 1);
            List<String> args = splitArgs(t.substring(open + 1, close));
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                int eq = a.indexOf('=');
                if (i > 0) {
                    b.append(", ");
                }
                if (eq > 0 && a.substring(0, eq).trim().matches("\\w+") && !a.startsWith("==", eq)) {
                    b.append(a.substring(0, eq).trim()).append("=(").append(a.substring(eq + 1).trim()).append(')');
                } else {
                    b.append(a.trim());
                }
            }
            b.append(')');
            from = close + 1;
        }
    }

    private static int closingParen(String s, int open) {
        return scanOutsideQuotes(s, open, (i, c, depth) -> depth == 0 && (c == ')' || c == ']' || c == '}'));
    }

    private static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        int[] start = {0};
        scanOutsideQuotes(s, 0, (i, c, depth) -> {
            if (c == ',' && depth == 0) {
                out.add(s.substring(start[0], i));
                start[0] = i + 1;
            }
            return false;
        });
        if (!s.isBlank()) {
            out.add(s.substring(start[0]));
        }
        return out;
    }

    /** Sees one character outside quotes, with the bracket depth after it; true stops the scan there. */
    @FunctionalInterface
    private interface CharVisitor {
        boolean stopAt(int index, char c, int depth);
    }

    /**
     * Walks {@code s} from {@code from}, skipping quoted strings ('...' or "...", with backslash escapes) and
     * counting bracket depth (an opener counts before it is seen, a closer after); returns the index where the
     * visitor stops, or -1.
     */
    private static int scanOutsideQuotes(String s, int from, CharVisitor visitor) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (visitor.stopAt(i, c, depth)) {
                return i;
            }
        }
        return -1;
    }

    /** Reads {@code chat_template}, {@code bos_token}, {@code eos_token} from a tokenizer_config.json. */
    public static ChatTemplate fromTokenizerConfig(Path tokenizerConfig) {
        Path file = Files.isDirectory(tokenizerConfig) ? tokenizerConfig.resolve("tokenizer_config.json") : tokenizerConfig;
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read tokenizer config: " + e.getMessage(), e);
        }
        JsonNode t = root.get("chat_template");
        String template;
        if (t == null || t.isNull()) {
            throw MipeaksException.invalid(file + ": no chat_template (use --prompt-template raw or one of the reference templates, e.g. deepseek-math)");
        } else if (t.isTextual()) {
            template = t.asText();
        } else if (t.isArray()) { // [{"name": "default", "template": ...}, ...]
            template = null;
            for (JsonNode n : t) {
                if ("default".equals(n.path("name").asText())) {
                    template = n.path("template").asText();
                }
            }
            if (template == null) {
                throw MipeaksException.invalid(file + ": chat_template list has no 'default' entry");
            }
        } else {
            throw MipeaksException.invalid(file + ": chat_template is neither a string nor a list");
        }
        return new ChatTemplate(template, token(root.get("bos_token")), token(root.get("eos_token")), file.toString());
    }

    /** Special tokens are strings or AddedToken objects {"content": ...}. */
    private static String token(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.asText() : n.path("content").asText(null);
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /** One user message, generation prompt on. */
    public String renderUser(String content) {
        return render(List.of(Map.of("role", "user", "content", content)), true);
    }

    /** Renders a conversation (each message a map with role and content). */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        Map<String, Object> ctx = new HashMap<>();
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            copy.add(new HashMap<>(m));
        }
        ctx.put("messages", copy);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put("bos_token", bosToken);
        ctx.put("eos_token", eosToken);
        ctx.put("tools", null);
        RenderResult r = jinjava.renderForResult(template, ctx);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                String msg = e.getMessage();
                for (Throwable c = e.getException(); c != null; c = c.getCause()) {
                    if (c.getMessage() != null && c.getMessage().startsWith("raise_exception: ")) {
                        msg = c.getMessage(); // the template's own message
                    }
                }
                int at = msg == null ? -1 : msg.indexOf("raise_exception: ");
                String shown = at >= 0 ? msg.substring(at + "raise_exception: ".length()) : msg;
                throw MipeaksException.invalid(source + ": chat_template line " + e.getLineno() + ": "
                        + (shown == null ? e.getReason() : shown.replace('\n', ' ')));
            }
        }
        return r.getOutput();
    }

    /** {@code raise_exception(msg)} in a template. */
    public static Object raiseException(Object message) {
        throw new IllegalArgumentException("raise_exception: " + message);
    }
}
