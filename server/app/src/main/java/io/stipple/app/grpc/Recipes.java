package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.ComponentPlan;
import io.stipple.app.grpc.GenerateCommand.MergePlan;
import io.stipple.engine.merge.ComponentRule;
import io.stipple.engine.merge.MergeMode;
import io.stipple.engine.merge.MergeRecipe;

/** A validated request's merge plan as the engine's recipe. */
final class Recipes {
    private Recipes() {}

    static MergeRecipe of(MergePlan plan) {
        return new MergeRecipe(plan.addDifference() ? MergeMode.ADD_DIFFERENCE : MergeMode.WEIGHTED_SUM,
                rule(plan.unet()), rule(plan.textEncoder()), rule(plan.vae()));
    }

    private static ComponentRule rule(ComponentPlan c) {
        if (c.ratio() != null) {
            return ComponentRule.blend(RequestDecimal.of(c.ratio()));
        }
        return c.source() == 'B' ? ComponentRule.copyB() : ComponentRule.copyA();
    }
}
