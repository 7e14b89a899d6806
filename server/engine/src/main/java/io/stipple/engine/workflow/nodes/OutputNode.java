package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.WorkflowOutput;
import java.util.List;

/** A node that ends a graph: it gives the run one output (images, a latent) and nothing to link on. */
abstract class OutputNode implements NodeType {
    @Override
    public final List<ValueType> outputs() {
        return List.of();
    }

    @Override
    public final boolean isOutput() {
        return true;
    }

    /** What this node hands to the caller. */
    protected abstract WorkflowOutput output(NodeInputs in, NodeContext context);

    @Override
    public final List<Value> run(NodeInputs in, NodeContext context) {
        context.output(output(in, context));
        return List.of();
    }
}
