package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mipeaks suppress end to end on tiny-qwen2 (byte vocabulary: each letter is one token), resume, bad input. */
class SuppressCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<JsonNode> lines(Path f) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String s : Files.readAllLines(f)) {
            out.add(JSON.readTree(s));
        }
        return out;
    }

    @Test
    void sweepWritesGradedArmsAndResumes() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data");
        Path out = tmp.resolve("s");
        String[] args = {"suppress", "--model", model.toString(), "--dataset", "math500", "--data-dir", data.toString(),
                "--tokens", "e, t,a,o", "--count", "2,0", "--seed", "3", "--prompt-template", "raw",
                "--max-new-tokens", "40", "--limit", "3", "--batch", "2", "--out", out.toString()};
        CliResult r = run(args); // the old option names (--tokens, --count) still work, with a note
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("--tokens is now --thinking-tokens"), r.err());
        assertTrue(r.err().contains("--count is now --top-words"), r.err());
        assertTrue(r.out().contains("tokens/s"), r.out());
        for (String f : List.of("none-n0.jsonl", "thinking-n2.jsonl", "random-n2.jsonl", "metrics.json", "report.md",
                "config.json", "plots/accuracy_vs_n.svg")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(ImageIO.read(out.resolve("plots/accuracy_vs_n.png").toFile()).getWidth() > 100);
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, m.get("problems").asInt());
        JsonNode thinking = m.get("conditions").get("thinking").get("2");
        assertEquals("[\"e\",\"t\"]", thinking.get("words").toString());
        assertEquals(3, thinking.get("total").asInt());
        JsonNode random = m.get("conditions").get("random").get("2");
        List<String> drawn = new ArrayList<>();
        random.get("words").forEach(w -> drawn.add(w.asText()));
        assertEquals(2, drawn.size());
        for (String w : drawn) {
            assertTrue(w.matches("[A-Za-z]") && !List.of("e", "t", "a", "o").contains(w), w);
        }
        assertEquals(3, m.get("conditions").get("none").get("0").get("total").asInt());
        // masked letters never appear in what the model wrote (one byte token per letter in this vocabulary)
        int unmaskedLetters = 0;
        for (JsonNode l : lines(out.resolve("none-n0.jsonl"))) {
            String text = l.get("response").asText();
            unmaskedLetters += text.chars().filter(c -> c == 'e' || c == 't').count();
        }
        for (JsonNode l : lines(out.resolve("thinking-n2.jsonl"))) {
            String text = l.get("response").asText();
            assertFalse(text.contains("e") || text.contains("t"), text);
            assertTrue(l.has("correct") && l.has("prediction") && l.get("answer").isTextual());
            // graded under both rule sets; the strict verdict is the line's own
            assertEquals("strict", l.get("rules").asText());
            assertEquals("paper", l.get("by_rules").get("paper").get("rules").asText());
        }
        for (JsonNode l : lines(out.resolve("random-n2.jsonl"))) {
            for (String w : drawn) {
                assertFalse(l.get("response").asText().contains(w), l.get("response").asText());
            }
        }
        System.out.println("suppress: unmasked responses hold 'e'/'t' " + unmaskedLetters + " times");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| 2 |") && md.contains("(plots/accuracy_vs_n.png)"), md);
        assertTrue(md.contains("| N | thinking: strict | thinking: paper | random: strict | random: paper |"), md);
        assertEquals(3, m.get("conditions").get("none").get("0").get("paper_rules").get("total").asInt());
        // one name per concept: counts of generated tokens are generated_tokens, "tokens" is never a count or a source
        JsonNode arm = m.get("conditions").get("none").get("0");
        assertTrue(arm.has("mean_generated_tokens") && !arm.has("mean_tokens"), arm.toString());
        assertTrue(m.has("thinking_token_source") && !m.has("tokens"), m.toString());
        JsonNode firstLine = JSON.readTree(Files.readAllLines(out.resolve("thinking-n2.jsonl")).get(0));
        assertTrue(firstLine.has("generated_tokens") && firstLine.has("answer") && !firstLine.has("tokens"),
                firstLine.toString());

        // resume: nothing left to do
        r = run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().split("0 to generate", -1).length - 1, r.out());
        assertEquals(3, Files.readAllLines(out.resolve("thinking-n2.jsonl")).size());

        // an interrupted append: the cut line's problem is generated again, the others are kept
        Path f = out.resolve("random-n2.jsonl");
        List<String> kept = Files.readAllLines(f);
        Files.writeString(f, kept.get(0) + "\n" + kept.get(1).substring(0, 20));
        r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("random N=2: 3 problems, 1 done, 2 to generate"), r.out());
        List<String> again = Files.readAllLines(f);
        assertEquals(kept.size(), again.size());
        for (int i = 0; i < kept.size(); i++) {
            // greedy: the same generation again (the grader's rule may differ: a CAS timeout depends on the load)
            JsonNode x = JSON.readTree(kept.get(i));
            JsonNode y = JSON.readTree(again.get(i));
            for (String k : List.of("index", "response", "generated_tokens", "stop_reason", "prediction")) {
                assertEquals(x.get(k), y.get(k), k + " of line " + i);
            }
        }

        // extending the sweep reuses every finished arm
        String[] more = args.clone();
        more[10] = "0,1,2";
        r = run(more);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("thinking N=1: 3 problems, 0 done, 3 to generate"), r.out());
        assertTrue(r.out().contains("thinking N=2: 3 problems, 3 done, 0 to generate"), r.out());

        // other settings into the same folder are refused
        String[] other = args.clone();
        other[7] = "--thinking-tokens"; // the new names write the same config as the old ones
        other[9] = "--top-words";
        other[12] = "4";
        r = run(other);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("config.json: field 'seed' is 3 but this run has 4"), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
    }

    @Test
    void badInputIsExitTwo() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data");
        String[] base = {"suppress", "--model", model.toString(), "--dataset", "math500", "--data-dir", data.toString(),
                "--limit", "1", "--max-new-tokens", "4", "--out", tmp.resolve("b").toString()};
        CliResult r = run(cat(base, "--thinking-tokens", "e,t", "--top-words", "0,x"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--top-words: 'x' is not an integer"), r.err());
        r = run(cat(base, "--thinking-tokens", "e,t", "--top-words", "3"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--top-words 3: the list has only 2 words"), r.err());
        r = run(cat(base, "--thinking-tokens", tmp.resolve("nope.jsonl").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.jsonl: no such file"), r.err());
        r = run(cat(base, "--thinking-tokens", "e", "--tokens", "t"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--thinking-tokens and --tokens (its old name) given together"), r.err());
        r = run(cat(base, "--top-words", "0"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--thinking-tokens=TABLE|LIST'"), r.err());
        r = run(cat(base, "--tokens", "e", "--control", "shuffled"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--control shuffled"), r.err());
        Path stories = SharedData.require("models/stories260k");
        r = run("suppress", "--model", stories.toString(), "--dataset", "math500", "--data-dir", data.toString(),
                "--tokens", "e", "--out", tmp.resolve("c").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("tokenizer.json: no such file"), r.err());
    }

    static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
