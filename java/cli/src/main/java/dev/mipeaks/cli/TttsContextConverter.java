package dev.mipeaks.cli;

import dev.mipeaks.scaling.TttsRunner;
import picocli.CommandLine.ITypeConverter;

/** {@code ttts --context text|ids}: {@link TttsRunner.Context#parse}; exit 2 naming the value otherwise. */
final class TttsContextConverter implements ITypeConverter<TttsRunner.Context> {
    @Override
    public TttsRunner.Context convert(String value) {
        return TttsRunner.Context.parse(value);
    }
}
