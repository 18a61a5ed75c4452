package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.io.DType;
import dev.mipeaks.pipeline.Shard;
import dev.mipeaks.scaling.TttsRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The picocli converters: good values as the commands used them, and a bad value on the command line is one error
 * line naming the option and the value, exit 2, found while parsing (before any model, dataset or file is opened:
 * the paths given here do not exist).
 */
class ConvertersTest {
    private static final String[] TRACE = {"trace", "--model", "no-such-model", "--out", "no-such-dir/t.safetensors"};
    private static final String[] RR = {"rr", "--model", "no-such-model", "--dataset", "math500", "--out", "no-such-dir"};
    private static final String[] TTTS = {"ttts", "--model", "no-such-model", "--dataset", "math500", "--out",
            "no-such-dir", "--thinking-token", "Wait"};
    private static final String[] SUPPRESS = {"suppress", "--model", "no-such-model", "--dataset", "math500",
            "--thinking-tokens", "e,t", "--out", "no-such-dir"};
    private static final String[] RUN = {"run", "--model", "no-such-model", "--dataset", "math500", "--out", "no-such-dir"};

    private static void assertBad(String expected, String[] base, String... more) {
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(2, code, err.toString());
        assertEquals("mipeaks: error: " + expected, err.toString().strip(), String.join(" ", args));
        assertEquals("", out.toString());
    }

    @Test
    void tokenIdListsNameTheirOption() {
        assertBad("--prompt-ids: 'x' is not an integer", TRACE, "--prompt-ids", "1,x");
        assertBad("--prompt-ids: -2 is negative", TRACE, "--prompt-ids", "1,-2");
        assertBad("--trigger-ids: '1.5' is not an integer", RR, "--trigger-ids", "1.5");
        assertBad("--budget: 'y' is not an integer", TTTS, "--budget", "10,y");
        assertBad("--budget: -1 is negative", TTTS, "--budget", "-1");
        assertBad("--top-words: 'x' is not an integer", SUPPRESS, "--top-words", "0,x");
        // the old name is reported under the new one, as before
        assertBad("--top-words: -3 is negative", SUPPRESS, "--count", "-3");
    }

    @Test
    void namedValuesNameTheOptionAndTheChoices() {
        assertBad("--state-dtype f64: expected f32 or bf16", TRACE, "--prompt-ids", "1", "--state-dtype", "f64");
        assertBad("--state-dtype f16: expected f32 or bf16", RUN, "--state-dtype", "f16");
        assertBad("--shard '2': expected i/n, e.g. 0/4", RUN, "--shard", "2");
        assertBad("--shard 'a/b': expected i/n with integers, e.g. 0/4", RUN, "--shard", "a/b");
        assertBad("--context both: expected text or ids", TTTS, "--context", "both");
        assertBad("--rules lenient: expected strict or paper", RR, "--rules", "lenient");
        assertBad("--sigma: '-1' is not a positive number or 'median'", new String[] {"peaks", "no-such-run"},
                "--sigma", "50,-1");
    }

    @Test
    void goodValuesConvertAsTheLibraryReadsThem() {
        assertEquals(7, new NonNegativeIntConverter.Budgets().convert(" 7"));
        assertEquals(0, new NonNegativeIntConverter.TopWords().convert("0"));
        assertEquals(DType.BF16, new StateDtypeConverter().convert("bfloat16"));
        assertEquals(DType.F32, new StateDtypeConverter().convert("F32"));
        assertEquals(new Shard(1, 4), new ShardConverter().convert(" 1/4"));
        assertEquals(TttsRunner.Context.IDS, new TttsContextConverter().convert("IDS"));
        assertEquals(GradingRules.PAPER, new GradingRulesConverter().convert("paper"));
        assertEquals("median", new SigmaConverter().convert(" MEDIAN"));
        assertEquals("100", new SigmaConverter().convert("100 "));
        MipeaksException e = assertThrows(MipeaksException.class, () -> new NonNegativeIntConverter.TriggerIds().convert(""));
        assertEquals("--trigger-ids: '' is not an integer", e.getMessage());
        assertEquals(List.of(1, 2), List.of(new NonNegativeIntConverter.PromptIds().convert("1"),
                new NonNegativeIntConverter.PromptIds().convert("2")));
    }
}
