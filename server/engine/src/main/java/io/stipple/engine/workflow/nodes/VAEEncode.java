package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.ImageValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.VaeValue;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import java.util.List;

/** Pixels to latent (the posterior's mean), after ComfyUI's centred crop to a multiple of the VAE's downscale. */
final class VAEEncode implements NodeType {
    @Override
    public String classType() {
        return "VAEEncode";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("pixels", ValueType.IMAGE), InputSpec.link("vae", ValueType.VAE));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        VaeValue vae = in.vae("vae");
        Ops ops = context.ops();
        int scale = vae.vae().config().downscale();
        Tensor pixels = crop(ops, crop(ops, in.image("pixels").pixels(), 2, scale), 3, scale);
        Tensor[] parts = new Tensor[pixels.dim(0)];
        for (int b = 0; b < parts.length; b++) {
            parts[b] = vae.vae().encode(ops.narrow(pixels, 0, b, 1));
        }
        return List.of(new LatentValue(parts.length == 1 ? parts[0] : ops.concat(0, parts)));
    }

    /** VAEEncode's crop: {@code x = (size // 8) * 8}, offset {@code (size % 8) // 2}. */
    private static Tensor crop(Ops ops, Tensor t, int axis, int multiple) {
        int size = t.dim(axis);
        int kept = size / multiple * multiple;
        return kept == size ? t : ops.narrow(t, axis, (size % multiple) / 2, kept);
    }
}
