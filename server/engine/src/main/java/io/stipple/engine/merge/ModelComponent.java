package io.stipple.engine.merge;

import java.util.List;
import java.util.Optional;

/**
 * The parts of a checkpoint a merge can treat differently, found by key prefix. One table serves
 * both families because their prefixes do not overlap:
 *
 * <table>
 * <caption>Key prefixes per component</caption>
 * <tr><th>component</th><th>SD1.x</th><th>SDXL</th></tr>
 * <tr><td>UNET</td><td>{@code model.diffusion_model.}</td><td>{@code model.diffusion_model.}</td></tr>
 * <tr><td>TEXT_ENCODER</td><td>{@code cond_stage_model.} (CLIP-L)</td>
 *     <td>{@code conditioner.embedders.} (0: CLIP-L, 1: OpenCLIP bigG)</td></tr>
 * <tr><td>VAE</td><td>{@code first_stage_model.}</td><td>{@code first_stage_model.}</td></tr>
 * </table>
 *
 * <p>Keys outside all three (the schedule buffers {@code alphas_cumprod}, {@code betas}..., EMA
 * copies {@code model_ema.*}) belong to no component and are always taken from model A.
 */
public enum ModelComponent {
    UNET("unet", "UNet", List.of("model.diffusion_model.")),
    TEXT_ENCODER("text_encoder", "text encoder", List.of("cond_stage_model.", "conditioner.embedders.")),
    VAE("vae", "VAE", List.of("first_stage_model."));

    private final String id;
    private final String displayName;
    private final List<String> prefixes;

    ModelComponent(String id, String displayName, List<String> prefixes) {
        this.id = id;
        this.displayName = displayName;
        this.prefixes = prefixes;
    }

    /** The component {@code key} belongs to; empty for keys outside all components. */
    public static Optional<ModelComponent> of(String key) {
        for (ModelComponent c : values()) {
            if (c.contains(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public boolean contains(String key) {
        return prefixes.stream().anyMatch(key::startsWith);
    }

    /** The name used in metadata and messages: "unet", "text_encoder", "vae". */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The key prefixes of this component, in both families. */
    public List<String> prefixes() {
        return prefixes;
    }
}
