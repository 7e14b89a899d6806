package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import java.util.Objects;

/** The checks every scheduler makes on its arguments before computing a schedule. */
final class ScheduleInputs {
    private ScheduleInputs() {}

    static void check(ModelSampling modelSampling, int steps) {
        Objects.requireNonNull(modelSampling, "modelSampling");
        if (steps < 1) {
            throw new IllegalArgumentException("steps: " + steps + " (expected: at least 1)");
        }
    }

    /** The model's sigma table, ascending, refusing one too short to schedule from. */
    static float[] table(ModelSampling modelSampling) {
        float[] table = modelSampling.sigmas();
        if (table == null || table.length < 2) {
            throw new IllegalArgumentException("model sampling sigma table: "
                    + (table == null ? "null" : table.length + " values") + " (expected: at least 2 values)");
        }
        return table;
    }
}
