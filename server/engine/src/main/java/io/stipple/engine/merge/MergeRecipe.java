package io.stipple.engine.merge;

import java.util.Objects;
import java.util.stream.Stream;

/**
 * A checkpoint merge: the mode, and for each component either a blend amount or the model to copy
 * it from. Keys outside the three components always come from model A (see {@link ModelComponent}).
 *
 * <p>A weighted sum's amount is model A's weight, between 0 and 1 (ComfyUI's ModelMergeSimple
 * ratio); an add-difference's amount is the multiplier of {@code B − C}, any finite number.
 */
public record MergeRecipe(MergeMode mode, ComponentRule unet, ComponentRule textEncoder, ComponentRule vae) {

    public MergeRecipe {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unet, "unet");
        Objects.requireNonNull(textEncoder, "textEncoder");
        Objects.requireNonNull(vae, "vae");
        check(mode, ModelComponent.UNET, unet);
        check(mode, ModelComponent.TEXT_ENCODER, textEncoder);
        check(mode, ModelComponent.VAE, vae);
    }

    /** Every component blended: {@code W = ratio·A + (1−ratio)·B}. */
    public static MergeRecipe weightedSum(double ratio) {
        ComponentRule r = ComponentRule.blend(ratio);
        return new MergeRecipe(MergeMode.WEIGHTED_SUM, r, r, r);
    }

    /** Every component blended: {@code W = A + (B − C)·multiplier}. */
    public static MergeRecipe addDifference(double multiplier) {
        ComponentRule r = ComponentRule.blend(multiplier);
        return new MergeRecipe(MergeMode.ADD_DIFFERENCE, r, r, r);
    }

    /**
     * ComfyUI's on-the-fly merge (ModelMergeSimple on the MODEL output): only the UNet is blended;
     * the text encoder and the VAE are model A's.
     */
    public static MergeRecipe unetWeightedSum(double ratio) {
        return new MergeRecipe(MergeMode.WEIGHTED_SUM, ComponentRule.blend(ratio), ComponentRule.copyA(), ComponentRule.copyA());
    }

    public MergeRecipe withUnet(ComponentRule rule) {
        return new MergeRecipe(mode, rule, textEncoder, vae);
    }

    public MergeRecipe withTextEncoder(ComponentRule rule) {
        return new MergeRecipe(mode, unet, rule, vae);
    }

    public MergeRecipe withVae(ComponentRule rule) {
        return new MergeRecipe(mode, unet, textEncoder, rule);
    }

    public ComponentRule rule(ModelComponent component) {
        return switch (component) {
            case UNET -> unet;
            case TEXT_ENCODER -> textEncoder;
            case VAE -> vae;
        };
    }

    /** Whether any component is blended (reads model B's weights). */
    public boolean blendsAnything() {
        return Stream.of(unet, textEncoder, vae).anyMatch(r -> r instanceof ComponentRule.Blend);
    }

    /** Whether the merge reads a model C: an add-difference that blends some component. */
    public boolean usesModelC() {
        return mode == MergeMode.ADD_DIFFERENCE && blendsAnything();
    }

    private static void check(MergeMode mode, ModelComponent component, ComponentRule rule) {
        if (!(rule instanceof ComponentRule.Blend(double amount))) {
            return;
        }
        if (mode == MergeMode.WEIGHTED_SUM && !(amount >= 0 && amount <= 1)) {
            throw new IllegalArgumentException(component.id() + " ratio: " + amount
                    + " (expected: between 0 and 1, the weight of model A)");
        }
        if (mode == MergeMode.ADD_DIFFERENCE && !Double.isFinite(amount)) {
            throw new IllegalArgumentException(component.id() + " multiplier: " + amount + " (expected: a finite number)");
        }
    }
}
