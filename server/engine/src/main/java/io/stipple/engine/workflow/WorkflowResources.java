package io.stipple.engine.workflow;

import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where a workflow's names lead: model files by the same rules as the rest of the server, the
 * installed samplers and schedulers. The executor asks {@link #checkFile} for every file name
 * before anything runs, so a missing file is refused with the node that names it.
 */
public interface WorkflowResources {
    Ops ops();

    /**
     * What is wrong with this file name, quoting it ("'x.safetensors' not found in checkpoints/..."),
     * or empty when it can be opened.
     */
    Optional<String> checkFile(FileKind kind, String name);

    /** The loaded checkpoint; the resources own it (it may be cached across runs). */
    StableDiffusionModel checkpoint(String name) throws IOException;

    /** A VAE file (VAELoader); the resources own it until the run ends. */
    VaeValue vae(String name) throws IOException;

    /** Opens a LoRA file; the caller closes it. */
    TensorIndex openLora(String name) throws IOException;

    List<LoraAdapter> loraAdapters();

    /** An image file's bytes (LoadImage). */
    byte[] readImage(String name) throws IOException;

    /** Opens a .latent file (LoadLatent); the caller closes it. */
    TensorIndex openLatent(String name) throws IOException;

    List<String> samplerNames();

    List<String> schedulerNames();

    Sampler sampler(String name);

    Scheduler scheduler(String name);
}
