package io.stipple.engine.merge;

/** What a merge does with one component: blend it, or copy it whole from one model. */
public sealed interface ComponentRule {

    /** Blend with {@code amount}: the ratio of a weighted sum, the multiplier of an add-difference. */
    record Blend(double amount) implements ComponentRule {}

    /** Take the component unchanged from model A or model B. */
    record Copy(Source source) implements ComponentRule {}

    enum Source { A, B }

    static ComponentRule blend(double amount) {
        return new Blend(amount);
    }

    static ComponentRule copyA() {
        return new Copy(Source.A);
    }

    static ComponentRule copyB() {
        return new Copy(Source.B);
    }

    /** "0.3", "copy_a", "copy_b": how the rule is written in a merged file's metadata. */
    default String describe() {
        return switch (this) {
            case Blend b -> Double.toString(b.amount());
            case Copy c -> c.source() == Source.A ? "copy_a" : "copy_b";
        };
    }
}
