package io.stipple.engine.workflow.nodes;

import io.stipple.engine.pipeline.LatentFile;
import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.util.List;

/** A ComfyUI .latent file (legacy files without the version marker are unscaled by 0.18215, as ComfyUI does). */
final class LoadLatent implements NodeType {
    @Override
    public String classType() {
        return "LoadLatent";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.file("latent", FileKind.LATENT));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        TensorIndex file = context.resources().openLatent(in.text("latent"));
        // the tensor may read the file's mapping: the file stays open until the run ends
        context.keepOpen(file);
        return List.of(new LatentValue(LatentFile.read(file, context.ops(), "latent")));
    }
}
