package io.stipple.plugin.api;

import java.util.Map;
import java.util.Optional;

/**
 * Where a LoRA's keys point: from each key stem a LoRA file may use for a weight (kohya's
 * {@code lora_unet_down_blocks_0_attentions_0_proj_in}, diffusers' {@code unet.down_blocks.0...},
 * the checkpoint's own name) to the model weight it patches, and which part of the model the weight
 * belongs to. The engine builds it from the model's architecture; adapters only look names up.
 */
public record LoraKeyMap(Map<String, Target> stems) {

    /** The part of the model a patch belongs to, which selects the strength it gets. */
    public enum Component { UNET, TEXT_ENCODER }

    /**
     * Rows {@code [start, start + length)} along {@code dim} of a checkpoint weight that stacks
     * several layers' weights (OpenCLIP's {@code attn.in_proj_weight} holds q, k and v; a LoRA
     * patches each of them as its own weight). ComfyUI's patch "offset".
     */
    public record Slice(int dim, int start, int length) {
        public Slice {
            if (dim < 0 || start < 0 || length <= 0) {
                throw new IllegalArgumentException("slice dim " + dim + ", start " + start + ", length " + length
                        + " (expected: dim and start >= 0, length > 0)");
            }
        }
    }

    /**
     * A model weight: its name in the loaded model, its component, and the part of it a patch
     * applies to ({@code slice} null: all of it). The patch sees only that part, as a weight of its own.
     */
    public record Target(String weight, Component component, Slice slice) {

        public Target(String weight, Component component) {
            this(weight, component, null);
        }

        /** The bias beside this weight ({@code x.weight} -> {@code x.bias}, {@code in_proj_weight} -> {@code in_proj_bias}), same slice. */
        public Optional<Target> bias() {
            if (weight.endsWith(".weight")) {
                return Optional.of(new Target(weight.substring(0, weight.length() - ".weight".length()) + ".bias", component, slice));
            }
            if (weight.endsWith("_weight")) {
                return Optional.of(new Target(weight.substring(0, weight.length() - "_weight".length()) + "_bias", component, slice));
            }
            return Optional.empty();
        }

        /** "model.diffusion_model.x.weight", or "conditioner...in_proj_weight[0:32]" for a slice of rows. */
        public String describe() {
            if (slice == null) {
                return weight;
            }
            return weight + "[" + (slice.dim() == 0 ? "" : "dim " + slice.dim() + ": ") + slice.start() + ":"
                    + (slice.start() + slice.length()) + "]";
        }
    }

    public Optional<Target> target(String stem) {
        return Optional.ofNullable(stems.get(stem));
    }
}
