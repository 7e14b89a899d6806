package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/** Denoises a latent: noise from the seed, the scheduler's sigmas (the last steps of a longer schedule when denoise &lt; 1), CFG. */
final class KSampler implements NodeType {
    @Override
    public String classType() {
        return "KSampler";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model", ValueType.MODEL), InputSpec.seed("seed"), InputSpec.integer("steps", 20, 1, 10000),
                InputSpec.decimal("cfg", 8.0, 0.0, 100.0), InputSpec.sampler("sampler_name"), InputSpec.scheduler("scheduler"),
                InputSpec.link("positive", ValueType.CONDITIONING), InputSpec.link("negative", ValueType.CONDITIONING),
                InputSpec.link("latent_image", ValueType.LATENT), InputSpec.decimal("denoise", 1.0, 0.0, 1.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        var settings = new Sampling.Settings(in.integer("seed"), in.smallInt("steps"), (float) in.decimal("cfg"), in.text("sampler_name"),
                in.text("scheduler"), in.decimal("denoise"), true, -1, -1, false);
        return List.of(new LatentValue(Sampling.sample(context, in.model("model").model(), in.conditioning("positive"),
                in.conditioning("negative"), in.latent("latent_image").samples(), settings)));
    }
}
