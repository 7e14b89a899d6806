package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.ConditioningValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.ArrayList;
import java.util.List;

/** Both conditionings' entries in one list: the sampler averages the predictions of all of them. */
final class ConditioningCombine implements NodeType {
    @Override
    public String classType() {
        return "ConditioningCombine";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("conditioning_1", ValueType.CONDITIONING), InputSpec.link("conditioning_2", ValueType.CONDITIONING));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.CONDITIONING);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        List<ConditioningValue.Entry> entries = new ArrayList<>(in.conditioning("conditioning_1").entries());
        entries.addAll(in.conditioning("conditioning_2").entries());
        return List.of(new ConditioningValue(entries));
    }
}
