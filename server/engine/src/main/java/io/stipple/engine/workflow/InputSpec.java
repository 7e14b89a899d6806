package io.stipple.engine.workflow;

import java.math.BigDecimal;
import java.util.List;

/**
 * One input of a node type, as ComfyUI's INPUT_TYPES declares it.
 *
 * @param defaultValue what a missing widget input takes (Long, Double, String, Boolean), or null
 *     when the input must be given
 * @param min, max the inclusive range of INT and FLOAT inputs, or null
 * @param choices where a COMBO input's names come from
 */
public record InputSpec(String name, ValueType type, Object defaultValue, BigDecimal min, BigDecimal max, Choices choices) {

    /** Where a COMBO input's allowed names come from, or (for STRING) the syntax its text must follow. */
    public sealed interface Choices permits Fixed, Samplers, Schedulers, Files, PromptSyntax {}

    /** A STRING in ComfyUI's prompt-weight syntax, held to the same weight rules as Generate's prompt. */
    public record PromptSyntax() implements Choices {}

    public record Fixed(List<String> names) implements Choices {}

    public record Samplers() implements Choices {}

    public record Schedulers() implements Choices {}

    public record Files(FileKind kind) implements Choices {}

    public static InputSpec link(String name, ValueType type) {
        return new InputSpec(name, type, null, null, null, null);
    }

    public static InputSpec integer(String name, long defaultValue, long min, long max) {
        return new InputSpec(name, ValueType.INT, defaultValue, BigDecimal.valueOf(min), BigDecimal.valueOf(max), null);
    }

    /** ComfyUI's seeds go up to 0xffffffffffffffff; they reach the engine as the long with the same 64 bits. */
    public static InputSpec seed(String name) {
        return new InputSpec(name, ValueType.INT, 0L, BigDecimal.ZERO, new BigDecimal("18446744073709551615"), null);
    }

    public static InputSpec decimal(String name, double defaultValue, double min, double max) {
        return new InputSpec(name, ValueType.FLOAT, defaultValue, BigDecimal.valueOf(min), BigDecimal.valueOf(max), null);
    }

    public static InputSpec text(String name, String defaultValue) {
        return new InputSpec(name, ValueType.STRING, defaultValue, null, null, null);
    }

    /** A prompt: text whose "(word:1.2)" weights must be finite and in range, checked before the graph runs. */
    public static InputSpec prompt(String name) {
        return new InputSpec(name, ValueType.STRING, null, null, null, new PromptSyntax());
    }

    public static InputSpec bool(String name, boolean defaultValue) {
        return new InputSpec(name, ValueType.BOOLEAN, defaultValue, null, null, null);
    }

    public static InputSpec options(String name, String defaultValue, List<String> names) {
        return new InputSpec(name, ValueType.COMBO, defaultValue, null, null, new Fixed(List.copyOf(names)));
    }

    public static InputSpec sampler(String name) {
        return new InputSpec(name, ValueType.COMBO, "euler", null, null, new Samplers());
    }

    public static InputSpec scheduler(String name) {
        return new InputSpec(name, ValueType.COMBO, "normal", null, null, new Schedulers());
    }

    public static InputSpec file(String name, FileKind kind) {
        return new InputSpec(name, ValueType.COMBO, null, null, null, new Files(kind));
    }
}
