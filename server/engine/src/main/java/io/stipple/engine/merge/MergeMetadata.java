package io.stipple.engine.merge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The string metadata a saved merge carries ({@code __metadata__} in safetensors), so the file says
 * what it was made from: {@code stipple.merge.mode}, {@code .model_a}, {@code .model_b},
 * {@code .model_c}, one entry per component ({@code .unet = 0.3}, {@code .vae = copy_a}),
 * {@code .precision} and the {@code .formula} in words.
 */
final class MergeMetadata {
    static final String PREFIX = "stipple.merge.";

    private MergeMetadata() {}

    /** @param c model C's name, or null */
    static Map<String, String> of(MergeRecipe recipe, String a, String b, String c, OutputPrecision precision) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "mode", recipe.mode().id());
        m.put(PREFIX + "formula", switch (recipe.mode()) {
            case WEIGHTED_SUM -> "W = ratio*A + (1-ratio)*B";
            case ADD_DIFFERENCE -> "W = A + (B-C)*multiplier";
        });
        m.put(PREFIX + "model_a", a);
        m.put(PREFIX + "model_b", b);
        if (c != null) {
            m.put(PREFIX + "model_c", c);
        }
        for (ModelComponent component : ModelComponent.values()) {
            m.put(PREFIX + component.id(), recipe.rule(component).describe());
        }
        m.put(PREFIX + "precision", precision.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }
}
