/**
 * LoRAs applied to a loaded model as ComfyUI's LoraLoader applies them.
 *
 * <p>{@link io.stipple.engine.lora.LoraKeyMaps} builds, for a detected model, every key stem a LoRA
 * may use (ComfyUI's model_lora_keys_unet and model_lora_keys_clip: kohya's {@code lora_unet_*} over
 * the diffusers and the LDM names, {@code lora_te_*} / {@code lora_te1_*} / {@code lora_te2_*},
 * diffusers' {@code unet.*}, {@code text_encoder.*}, {@code text_encoder_2.*}, the generic
 * {@code diffusion_model.*} and {@code text_encoders.*}). {@link io.stipple.engine.lora.LoraLoader}
 * asks the installed {@link io.stipple.plugin.api.LoraAdapter}s for the patches of a LoRA file and
 * checks them against the model; {@link io.stipple.engine.lora.PatchedParameters} is the patched
 * model, an overlay on the checkpoint's weights that computes each patched weight once, lazily.
 *
 * <p>SDXL's OpenCLIP bigG encoder keeps its checkpoint layout here, q, k and v stacked in
 * {@code attn.in_proj_weight}; ComfyUI converts it to the Hugging Face layout first. Its q/k/v stems
 * therefore name a {@link io.stipple.plugin.api.LoraKeyMap.Slice} of rows of that weight, and the
 * overlay patches each slice as ComfyUI patches the split-off weight.
 *
 * <p>Where Stipple deliberately differs from ComfyUI: a LoRA none of whose keys name a weight of the
 * model, one with a patch whose shape does not fit its weight, and one with a second text encoder's
 * keys on SD1.x are refused ({@link io.stipple.engine.lora.LoraMismatchException}) instead of being
 * applied in part with errors in the log. Not mapped (their keys are reported as not loaded):
 * bigG's {@code text_projection} (stored transposed from ComfyUI's), Stable Cascade's
 * {@code lora_prior_*}, and what the lora-lycoris plugin does not read ({@code reshape_weight},
 * {@code dora_scale} beside OFT and BOFT blocks). Modules ComfyUI reads but fails to apply (LoKr with
 * {@code lokr_t2}, BOFT without {@code alpha}) leave their weight unpatched here too, and are reported.
 */
package io.stipple.engine.lora;
