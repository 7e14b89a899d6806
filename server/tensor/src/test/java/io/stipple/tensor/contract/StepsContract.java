package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.contract.TwinInputs.Twin;
import io.stipple.tensor.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of {@link OpsContractTest}: the model and sampler steps that run on the backend (timestep
 * embedding, prompt weighting, dpm_adaptive's error norm), against the reference and at known values.
 */
abstract class StepsContract extends ContractBase {

    StepsContract(OpsContractTest owner) {
        super(owner);
    }

    @Test
    void timestepEmbeddingMatchesTheReference() {
        float[] timesteps = {999f, 500.5f, 1f, 0f};
        for (int dim : new int[] {320, 256, 7, 0}) {
            Tensor expected = reference.timestepEmbedding(timesteps, dim);
            Tensor actual = ops.timestepEmbedding(timesteps, dim);
            assertEquals(expected.shape(), actual.shape());
            in.assertClose("timestepEmbedding " + dim, tolerance(DType.F32), actual, expected);
        }
    }

    @Test
    void timestepEmbeddingKnownValues() {
        // dim 4: frequencies 1 and exp(-ln(10000)/2) = 0.01; cosines first, then sines
        float[] e = ops.toArray(ops.timestepEmbedding(new float[] {0f, 2f}, 4));
        float f = (float) Math.exp((float) -Math.log(10000.0) * 1 / 2);
        float[] expected = {1, 1, 0, 0, (float) Math.cos(2f), (float) Math.cos(2f * f), (float) Math.sin(2f), (float) Math.sin(2f * f)};
        TensorAssert.assertClose("timestepEmbedding", expected, e, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void weightTokensMatchesTheReference(DType dtype) {
        Twin z = in.normal(dtype, 1, 3, 5, 8);
        Twin empty = in.normal(dtype, 1, 1, 5, 8);
        float[] weights = new float[15];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 4 == 0 ? 1f : 0.5f + i * 0.1f;
        }
        in.assertClose("weightTokens", tolerance(dtype), ops.weightTokens(z.actual(), empty.actual(), weights),
                reference.weightTokens(z.expected(), empty.expected(), weights));
    }

    @Test
    void weightTokensKnownValues() {
        Tensor z = ops.fromArray(new float[] {2, 4, 0.1f, 0.3f}, Shape.of(1, 2, 2));
        Tensor empty = ops.fromArray(new float[] {1, 1, 0.2f, 0.2f}, Shape.of(1, 2, 2));
        // token 0 weighted 3: (z − e)·3 + e; token 1 of weight 1 is copied, not recomputed (which would round)
        TensorAssert.assertExact("weightTokens", new float[] {4, 10, 0.1f, 0.3f},
                ops.toArray(ops.weightTokens(z, empty, new float[] {3, 1})));
        assertThrows(IllegalArgumentException.class, () -> ops.weightTokens(z, empty, new float[] {3}));
        assertThrows(IllegalArgumentException.class, () -> ops.weightTokens(z, ops.zeros(Shape.of(1, 2, 3)), new float[] {3, 1}));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void scaledErrorNormMatchesTheReference(DType dtype) {
        Twin low = in.normal(dtype, 1, 2, 4, 6, 6);
        Twin high = in.normal(dtype, 1, 2, 4, 6, 6);
        Twin previous = in.normal(dtype, 1, 2, 4, 6, 6);
        double expected = reference.scaledErrorNorm(low.expected(), high.expected(), previous.expected(), 0.0078f, 0.05f);
        double actual = ops.scaledErrorNorm(low.actual(), high.actual(), previous.actual(), 0.0078f, 0.05f);
        assertEquals(expected, actual, tolerance(dtype) * expected);
    }

    @Test
    void scaledErrorNormKnownValues() {
        // delta = max(0.5, 0.1·max(|low|, |previous|)) = 0.5 for both: scaled (2, 0), norm 2, over √2
        Tensor low = ops.fromArray(new float[] {1, 0}, Shape.of(2));
        Tensor zeros = ops.zeros(Shape.of(2));
        assertEquals(2f / (float) Math.sqrt(2), ops.scaledErrorNorm(low, zeros, zeros, 0.5f, 0.1f), 0);
        // a large previous value widens the tolerance: delta = 0.1·20 = 2
        Tensor previous = ops.fromArray(new float[] {20, 0}, Shape.of(2));
        assertEquals(0.5f / (float) Math.sqrt(2), ops.scaledErrorNorm(low, zeros, previous, 0.5f, 0.1f), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> ops.scaledErrorNorm(low, ops.zeros(Shape.of(3)), zeros, 0.5f, 0.1f));
    }

    @Test
    void blendTilesMatchesTheReference() {
        // a 2x3 grid of 6x7 tiles overlapping by 2 on a 10x17 canvas, the last column pushed back to fit
        java.util.List<Tensor> actual = new java.util.ArrayList<>();
        java.util.List<Tensor> expected = new java.util.ArrayList<>();
        int[] tops = {0, 0, 0, 4, 4, 4};
        int[] lefts = {0, 5, 10, 0, 5, 10};
        for (int i = 0; i < tops.length; i++) {
            Twin t = in.normal(DType.F32, 1, 1, 3, 6, 7);
            actual.add(t.actual());
            expected.add(t.expected());
        }
        in.assertClose("blendTiles", tolerance(DType.F32), ops.blendTiles(actual, tops, lefts, 10, 17, 2),
                reference.blendTiles(expected, tops, lefts, 10, 17, 2));
    }

    @Test
    void blendTilesKnownValues() {
        // width-3 masks with feather 2 are 0.5, 1, 0.5: the shared pixel is the two tiles' mean
        Tensor a = ops.full(Shape.of(1, 1, 1, 3), 2f);
        Tensor b = ops.full(Shape.of(1, 1, 1, 3), 4f);
        Tensor blended = ops.blendTiles(java.util.List.of(a, b), new int[] {0, 0}, new int[] {0, 2}, 1, 5, 2);
        assertEquals(Shape.of(1, 1, 1, 5), blended.shape());
        TensorAssert.assertExact("blendTiles", new float[] {2, 2, 3, 4, 4}, ops.toArray(blended));
        assertThrows(IllegalArgumentException.class,
                () -> ops.blendTiles(java.util.List.of(a, b), new int[] {0, 0}, new int[] {0, 3}, 1, 5, 2));
    }
}
