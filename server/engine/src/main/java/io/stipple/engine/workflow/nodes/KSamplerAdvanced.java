package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/** KSampler over a part of the schedule (start_at_step to end_at_step), with or without noise, optionally leaving the leftover noise. */
final class KSamplerAdvanced implements NodeType {
    private static final List<String> ENABLE = List.of("enable", "disable");

    @Override
    public String classType() {
        return "KSamplerAdvanced";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model", ValueType.MODEL), InputSpec.options("add_noise", "enable", ENABLE),
                InputSpec.seed("noise_seed"), InputSpec.integer("steps", 20, 1, 10000), InputSpec.decimal("cfg", 8.0, 0.0, 100.0),
                InputSpec.sampler("sampler_name"), InputSpec.scheduler("scheduler"),
                InputSpec.link("positive", ValueType.CONDITIONING), InputSpec.link("negative", ValueType.CONDITIONING),
                InputSpec.link("latent_image", ValueType.LATENT), InputSpec.integer("start_at_step", 0, 0, 10000),
                InputSpec.integer("end_at_step", 10000, 0, 10000), InputSpec.options("return_with_leftover_noise", "disable", ENABLE));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        var settings = new Sampling.Settings(in.integer("noise_seed"), in.smallInt("steps"), (float) in.decimal("cfg"),
                in.text("sampler_name"), in.text("scheduler"), 1.0, in.text("add_noise").equals("enable"),
                in.smallInt("start_at_step"), in.smallInt("end_at_step"), in.text("return_with_leftover_noise").equals("disable"));
        return List.of(new LatentValue(Sampling.sample(context, in.model("model").model(), in.conditioning("positive"),
                in.conditioning("negative"), in.latent("latent_image").samples(), settings)));
    }
}
