package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.io.IOException;
import java.util.List;

/** A VAE file of models/vae, for VAEDecode and VAEEncode in place of the checkpoint's own. */
final class VAELoader implements NodeType {
    @Override
    public String classType() {
        return "VAELoader";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.file("vae_name", FileKind.VAE));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.VAE);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        return List.of(context.resources().vae(in.text("vae_name")));
    }
}
