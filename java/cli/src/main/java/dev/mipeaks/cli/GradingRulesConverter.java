package dev.mipeaks.cli;

import dev.mipeaks.eval.GradingRules;
import picocli.CommandLine.ITypeConverter;

/** {@code --rules strict|paper} (grade, rr, ttts): {@link GradingRules#parse}, exit 2 naming the value otherwise. */
final class GradingRulesConverter implements ITypeConverter<GradingRules> {
    @Override
    public GradingRules convert(String value) {
        return GradingRules.parse(value, "--rules");
    }
}
