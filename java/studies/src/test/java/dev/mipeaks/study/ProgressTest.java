package dev.mipeaks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text);
    private final AtomicLong now = new AtomicLong(5 * SECOND);

    private String[] lines() {
        return text.toString().lines().toArray(String[]::new);
    }

    @Test
    void taskLineCountsOnlyThisSessionIntoTheEta() {
        Progress p = new Progress(err, "rr", "problems", 10, 2, now::get).announceResume();
        p.tokens(300, 10 * SECOND);
        now.addAndGet(60 * SECOND);
        p.done(5, "#4: 100 tokens");
        // 3 units in 60 s this session, 5 left: 100 s
        assertEquals("rr: resuming: 2 of 10 problems already finished", lines()[0]);
        assertEquals("rr: 5/10 problems (50.0%), 300 tokens at 30.0 tokens/s, elapsed 1m00s, ETA 1m40s | #4: 100 tokens",
                lines()[1]);
    }

    @Test
    void taskLineSaysUnknownBeforeTheFirstUnitAndZeroWhenDone() {
        Progress p = new Progress(err, "ttts", "items", 4, 4, now::get).announceResume();
        p.done(4, "");
        assertEquals("ttts: 4/4 items (100.0%), 0 tokens at 0.0 tokens/s, elapsed 0s, ETA 0s", lines()[1]);
        assertEquals("?", Progress.eta(1, 4, 0, 12));
        assertEquals("0s", Progress.eta(4, 4, 3, 12));
        assertEquals("2h00m", Progress.eta(1, 4, 1, 2400));
    }

    @Test
    void runLineHasStepsPairsResumedAndSkipped() {
        Progress p = new Progress(err, "run", "problems", 4, 1, now::get);
        p.pairs(2000);
        now.addAndGet(10 * SECOND);
        p.finished("00001: 40 steps", 40, false);
        now.addAndGet(10 * SECOND);
        p.finished("00002 skipped: too long", 0, true);
        assertEquals("run: 2/4 problems (50.0%; 1 resumed, 0 skipped) | 00001: 40 steps | 4.0 steps/s, 200.0 MI "
                + "pairs/s | elapsed 10s, ETA 20s", lines()[0]);
        assertEquals("run: 3/4 problems (75.0%; 1 resumed, 1 skipped) | 00002 skipped: too long | 2.0 steps/s, 100.0 MI "
                + "pairs/s | elapsed 20s, ETA 10s", lines()[1]);
        assertEquals(2, p.ran());
        assertEquals(1, p.skipped());
        assertEquals(40, p.steps());
    }

    @Test
    void countLinesAreThrottledButTheLastAlwaysPrints() {
        Progress p = new Progress(err, "estimate nhsic on cpu", "pairs", 0, 0, now::get).throttled(2000);
        now.addAndGet(SECOND);
        p.update(10, 100); // within the interval: quiet
        now.addAndGet(SECOND);
        p.update(20, 100);
        p.update(20, 100); // the same count: quiet
        now.addAndGet(SECOND / 2);
        p.update(30, 100); // quiet again
        now.addAndGet(SECOND / 2);
        p.update(100, 100); // the last: always
        String[] l = lines();
        assertEquals(2, l.length, text.toString());
        assertEquals("estimate nhsic on cpu: 20/100 pairs (20.0%) 10.0 pairs/s, elapsed 2s, ETA 8s", l[0]);
        assertEquals("estimate nhsic on cpu: 100/100 pairs (100.0%) 33.3 pairs/s, elapsed 3s, ETA 0s", l[1]);
    }

    @Test
    void stepHookPrintsAtMostOncePerInterval() {
        Progress p = new Progress(err, "run", "problems", 1, 0, now::get);
        var hook = p.within("problem 00000", 100, 1000);
        for (int step = 0; step < 10; step++) {
            now.addAndGet(SECOND / 4);
            hook.step(step);
        }
        String[] l = lines();
        assertEquals(2, l.length, text.toString());
        assertTrue(l[0].startsWith("  problem 00000: 4/100 steps, 4.0 steps/s"), l[0]);
    }
}
