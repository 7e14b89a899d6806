package io.stipple.app.models;

/** The sub-folders of the models folder, as ComfyUI lays it out. */
public enum ModelKind {
    CHECKPOINT("checkpoints"),
    LORA("loras"),
    VAE("vae");

    private final String folder;

    ModelKind(String folder) {
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}
