package dev.mipeaks.cli;

import dev.mipeaks.model.ModelSource;
import picocli.CommandLine.Option;

/**
 * The model a command loads, required (a picocli mixin of run, trace, suppress, rr and ttts). {@code lens} declares
 * its own {@code --model}: optional there, defaulting to the run's model.
 */
final class ModelSourceOption {
    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Hugging Face model folder (config.json, model.safetensors or sharded, tokenizer.json), or a "
                    + "Hugging Face id found offline in the local hub cache ($HF_HUB_CACHE, $HF_HOME/hub, "
                    + "~/.cache/huggingface/hub).")
    String model;

    /** The folder or hub snapshot {@code --model} names (exit 2 when there is none). */
    ModelSource resolve() {
        return ModelSource.resolve(model);
    }
}
