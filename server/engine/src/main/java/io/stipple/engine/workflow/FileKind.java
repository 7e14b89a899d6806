package io.stipple.engine.workflow;

/** The folders ComfyUI's loaders pick their files from. */
public enum FileKind {
    CHECKPOINT, LORA, VAE, IMAGE, LATENT
}
