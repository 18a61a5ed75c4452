package dev.mipeaks.analysis;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The vocabulary of a run's model (from the tokenizer.json in the model folder or Hugging Face id named by
 * config.json), so that
 * thinking-token tables list every id of a word. Null when the model folder is not here (a run analysed on another
 * machine: stats.json and the report say the ids are those seen at peaks), and null with a one-line note when the
 * folder is here but its tokenizer cannot be loaded (no tokenizer.json, or the MI-engine-only classpath).
 */
public final class RunVocabulary {
    private RunVocabulary() {
    }

    public static Vocabulary load(Path runDir, PrintWriter err) {
        String model = RunReader.open(runDir).config().model();
        try {
            Path dir;
            try {
                // a folder, or a Hugging Face id resolved in this machine's hub cache
                dir = dev.mipeaks.model.ModelSource.resolve(model).dir();
            } catch (dev.mipeaks.MipeaksException absent) {
                return null;
            }
            if (!dev.mipeaks.model.Tokenizer.present(dir)) {
                err.println("note: " + dir + " has no tokenizer.json here: thinking-token ids are the ids seen at peaks");
                return null;
            }
            try (dev.mipeaks.model.Tokenizer tok = dev.mipeaks.model.Tokenizer.load(dir)) {
                return new dev.mipeaks.analysis.TokenizerVocabulary(tok);
            }
        } catch (RuntimeException | LinkageError e) {
            err.println("note: cannot load the tokenizer of " + model + " (" + e.getMessage()
                    + "): thinking-token ids are the ids seen at peaks");
            return null;
        }
    }
}
