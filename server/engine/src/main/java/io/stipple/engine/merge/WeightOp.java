package io.stipple.engine.merge;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/** What becomes of one weight in a merge: copied from a model, or computed from several. */
sealed interface WeightOp {

    /** The weight as one model stores it. */
    enum Copy implements WeightOp { FROM_A, FROM_B }

    /** A float32 computation over the models' weights (stored types converted as read). */
    sealed interface Computed extends WeightOp {
        /** {@code c} is null unless {@link #usesC()}. */
        Tensor apply(Ops ops, Tensor a, Tensor b, Tensor c);

        boolean usesC();
    }

    /**
     * ComfyUI's {@code add_patches(patch, strength_patch, strength_model)} as calculate_weight applies
     * it: {@code W = A·strengthA} (skipped when strengthA is 1), then {@code W += strengthB·B}; each
     * product and the sum rounded to float32, which is what makes the result bit-identical to ComfyUI.
     */
    record Linear(float strengthA, float strengthB) implements Computed {
        /** ModelMergeSimple: {@code add_patches(B, 1 − ratio, ratio)}; 1 − ratio taken in double, as Python does. */
        static Linear weightedSum(double ratio) {
            return new Linear((float) ratio, (float) (1.0 - ratio));
        }

        @Override
        public Tensor apply(Ops ops, Tensor a, Tensor b, Tensor c) {
            Tensor w = strengthA == 1f ? a : ops.scale(a, strengthA);
            try {
                return ops.addScaled(w, b, strengthB);
            } finally {
                if (w != a) {
                    w.close();
                }
            }
        }

        @Override
        public boolean usesC() {
            return false;
        }
    }

    /** AUTOMATIC1111's add difference: {@code A + multiplier·(B − C)}, the difference rounded first. */
    record AddDifference(float multiplier) implements Computed {
        @Override
        public Tensor apply(Ops ops, Tensor a, Tensor b, Tensor c) {
            try (Tensor difference = ops.sub(b, c)) {
                return ops.addScaled(a, difference, multiplier);
            }
        }

        @Override
        public boolean usesC() {
            return true;
        }
    }
}
