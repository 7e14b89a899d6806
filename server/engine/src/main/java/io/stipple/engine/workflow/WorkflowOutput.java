package io.stipple.engine.workflow;

import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.Tensor;
import java.util.List;

/** What an output node produced; the caller decides where it goes (files, a stream, both). */
public sealed interface WorkflowOutput {
    String nodeId();

    /** SaveImage ({@code temporary} false) or PreviewImage (true). */
    record Images(String nodeId, String filenamePrefix, boolean temporary, List<RgbImage> images) implements WorkflowOutput {
        public Images {
            images = List.copyOf(images);
        }
    }

    /** SaveLatent: the unscaled latent, to be written as a ComfyUI .latent file. */
    record Latent(String nodeId, String filenamePrefix, Tensor latent) implements WorkflowOutput {}
}
