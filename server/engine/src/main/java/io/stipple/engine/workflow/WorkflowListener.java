package io.stipple.engine.workflow;

import io.stipple.engine.image.RgbImage;

/**
 * A run's events, in ComfyUI's order: each node as it starts, sampling progress, previews and output
 * nodes' results. A listener may throw to stop the run (cancellation); the exception reaches the caller.
 */
public interface WorkflowListener {
    default void executing(String nodeId, String classType) {}

    default void progress(String nodeId, int step, int total) {}

    default boolean wantsPreview() {
        return false;
    }

    /** The longest side of previews. */
    default int previewMaxSize() {
        return 256;
    }

    default void preview(String nodeId, int step, RgbImage preview) {}

    default void output(WorkflowOutput output) {}

    WorkflowListener NONE = new WorkflowListener() {};
}
