package dev.mipeaks.cli;

import dev.mipeaks.pipeline.Shard;
import picocli.CommandLine.ITypeConverter;

/** {@code run --shard i/n}: {@link Shard#parse}; exit 2 naming the value otherwise. */
final class ShardConverter implements ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
        return Shard.parse(value);
    }
}
