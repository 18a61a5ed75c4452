package dev.mipeaks.cli;

import dev.mipeaks.io.DType;
import dev.mipeaks.pipeline.RunOptions;
import picocli.CommandLine.ITypeConverter;

/** {@code --state-dtype f32|bf16} (run, trace): storage of recorded hidden states; exit 2 otherwise. */
final class StateDtypeConverter implements ITypeConverter<DType> {
    @Override
    public DType convert(String value) {
        return RunOptions.parseStateDtype(value);
    }
}
