package dev.mipeaks.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A test run once for each shared tiny checkpoint ({@link SharedModels}), its name the method's one parameter; each
 * run skips with a printed reason when ../shared is absent.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@ValueSource(strings = {"stories260k", "tiny-qwen2", "tiny-llama31"})
public @interface EachSharedModel {
}
