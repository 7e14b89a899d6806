package io.stipple.engine.workflow;

import io.stipple.engine.lora.LoadedLora;

/** One LoraLoader's LoRA on a MODEL or a CLIP, at that side's strength. */
public record LoraUse(LoadedLora lora, double strength) {}
