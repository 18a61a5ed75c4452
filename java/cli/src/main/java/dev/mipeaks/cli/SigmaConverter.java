package dev.mipeaks.cli;

import dev.mipeaks.analysis.SigmaSweep;
import picocli.CommandLine.ITypeConverter;

/**
 * One kernel width of a sigma list ({@code peaks --sigma 50,100,median}; the option declares {@code split = ","}):
 * a positive number or {@code median}, as {@link SigmaSweep#parseSigmas} reads it; exit 2 naming the value otherwise.
 */
final class SigmaConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        return SigmaSweep.parseSigmas(value).get(0);
    }
}
