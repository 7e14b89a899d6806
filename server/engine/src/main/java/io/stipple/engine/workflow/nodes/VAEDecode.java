package io.stipple.engine.workflow.nodes;

import io.stipple.engine.model.vae.TiledVaeDecoder;
import io.stipple.engine.workflow.ImageValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.VaeValue;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import java.util.List;

/** Latent to pixels, one batch element at a time (tiled beyond 1024², as Generate decodes), clamped as ComfyUI clamps. */
final class VAEDecode implements NodeType {
    @Override
    public String classType() {
        return "VAEDecode";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("samples", ValueType.LATENT), InputSpec.link("vae", ValueType.VAE));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.IMAGE);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        VaeValue vae = in.vae("vae");
        Tensor latent = in.latent("samples").samples();
        Ops ops = context.ops();
        Tensor[] parts = new Tensor[latent.dim(0)];
        for (int b = 0; b < parts.length; b++) {
            parts[b] = TiledVaeDecoder.decode(vae.vae(), ops.narrow(latent, 0, b, 1));
        }
        Tensor pixels = parts.length == 1 ? parts[0] : ops.concat(0, parts);
        return List.of(new ImageValue(ops.clamp(pixels, -1f, 1f)));
    }
}
