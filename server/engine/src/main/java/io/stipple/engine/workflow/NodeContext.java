package io.stipple.engine.workflow;

import io.stipple.engine.lora.LoadedLora;
import io.stipple.engine.lora.LoraLoader;
import io.stipple.engine.lora.LoraMismatchException;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node may use while it runs: the resources, the run's listener, and files that stay open
 * until the run ends (a LoRA's patches read their file lazily).
 */
public final class NodeContext implements AutoCloseable {
    private final WorkflowResources resources;
    private final WorkflowListener listener;
    private final List<String> warnings = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<WorkflowOutput> outputs = new ArrayList<>();
    private final Map<StableDiffusionModel, LoraLoader> loraLoaders = new IdentityHashMap<>();
    private String nodeId;

    NodeContext(WorkflowResources resources, WorkflowListener listener) {
        this.resources = resources;
        this.listener = listener;
    }

    void enter(String nodeId) {
        this.nodeId = nodeId;
    }

    public String nodeId() {
        return nodeId;
    }

    public WorkflowResources resources() {
        return resources;
    }

    public WorkflowListener listener() {
        return listener;
    }

    public Ops ops() {
        return resources.ops();
    }

    public void warn(String warning) {
        warnings.add(nodeId + ": " + warning);
    }

    List<String> warnings() {
        return warnings;
    }

    /** An output node's result: kept for the run's result and passed on to the listener at once. */
    public void output(WorkflowOutput output) {
        outputs.add(output);
        listener.output(output);
    }

    List<WorkflowOutput> outputs() {
        return outputs;
    }

    /**
     * Reads a LoRA for {@code checkpoint}; it stays open until the run ends.
     *
     * @throws InvalidRequestException (field {@code input}) when the LoRA does not fit the checkpoint
     */
    public LoadedLora loadLora(StableDiffusionModel checkpoint, String name, String input) throws IOException {
        LoraLoader loader = loraLoaders.computeIfAbsent(checkpoint,
                m -> new LoraLoader(resources.loraAdapters(), ops(), m.architecture(), m.weights()));
        TensorIndex file = resources.openLora(name);
        LoadedLora lora;
        try {
            lora = loader.load(name, file);
        } catch (LoraMismatchException | IllegalArgumentException e) {
            throw new InvalidRequestException(input, name + ": " + e.getMessage());
        }
        open.add(lora::close);
        lora.warning().ifPresent(w -> warn(name + ": " + w));
        return lora;
    }

    /** Keeps {@code resource} open until the run ends. */
    public void keepOpen(AutoCloseable resource) {
        open.add(resource);
    }

    @Override
    public void close() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a read-only file: nothing to recover, and the run's own outcome matters more
            }
        }
        open.clear();
    }
}
