package dev.mipeaks.pipeline;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code mipeaks run} and {@code mipeaks demo} end to end: {@link MiRun#run}, then the printed summary of the
 * peaks (when the run wrote them), the run's notice and the report's path.
 */
public final class RunEndToEnd {
    private RunEndToEnd() {
    }

    /** Runs {@code o} (progress on {@code err}) and prints the outcome on {@code out}. */
    public static MiRun.Summary run(RunOptions o, PrintWriter out, PrintWriter err) throws IOException {
        MiRun.Summary s = MiRun.run(o, out, err);
        if (s.peaks() != null) {
            dev.mipeaks.analysis.PeakSummary.print(out, s.peaks().analysis(), s.peaks().tokens());
        }
        if (o.notice() != null) {
            out.println("NOTE: " + o.notice());
        }
        if (s.report() != null) {
            out.println("report: " + s.report());
        }
        out.flush();
        return s;
    }
}
