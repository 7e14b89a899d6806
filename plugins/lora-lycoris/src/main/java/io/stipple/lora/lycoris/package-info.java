/**
 * The LoRA adapters Stipple ships, a PF4J plugin: {@link io.stipple.lora.lycoris.LowRankAdapter}
 * (LoRA and LoCon in every spelling ComfyUI reads, with a Tucker {@code lora_mid}),
 * {@link io.stipple.lora.lycoris.LohaAdapter}, {@link io.stipple.lora.lycoris.LokrAdapter},
 * {@link io.stipple.lora.lycoris.GloraAdapter}, {@link io.stipple.lora.lycoris.OftAdapter},
 * {@link io.stipple.lora.lycoris.BoftAdapter} and {@link io.stipple.lora.lycoris.DiffAdapter}
 * (whole-tensor {@code .diff}/{@code .diff_b}, {@code .w_norm}/{@code .b_norm}, {@code .set_weight}),
 * with DoRA's {@code dora_scale} where ComfyUI reads it. The formulas are ComfyUI's (comfy/weight_adapter/
 * and comfy/lora.py's calculate_weight, Oct 2025), computed in float32 on the backend's Ops: ΔW from
 * the factors, W + (strength · alpha/rank) · ΔW with the scalar product taken in double as Python does.
 */
package io.stipple.lora.lycoris;
