package io.stipple.tensor.contract;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Multi-head attention against torch 1.13: per head, {@code softmax(q·kᵀ / sqrt(d)) · v}, with the
 * causal mask of {@code is_causal} (query i sees keys j ≤ i) written as
 * {@code masked_fill(ones(nq, nk).tril().logical_not(), -inf)}.
 */
public abstract class AttentionKnownValues extends OpsTestBase {
    private static final double TOL = 2e-6;

    private Tensor q() {
        return tensor(dims(1, 3, 4), 0.5, -1, 2, 0, 1, 1, -1, 0.5, 0, 2, 1, -1);
    }

    private Tensor k2() {
        return tensor(dims(1, 2, 4), 1, 0, 0.5, 1, -1, 2, 0, 1);
    }

    private Tensor v2() {
        return tensor(dims(1, 2, 4), 1, 2, 3, 4, -2, 0, 1, 5);
    }

    @Test
    void oneHeadOneQueryByHand() {
        // scores [1/√2, 0]: p = sigmoid(1/√2) = 0.669762 on v₀ = [1, 2], the rest on v₁ = [3, 4]
        Tensor q = tensor(dims(1, 1, 2), 1, 0);
        Tensor k = tensor(dims(1, 2, 2), 1, 0, 0, 1);
        Tensor v = tensor(dims(1, 2, 2), 1, 2, 3, 4);
        assertValues("1 head", ops().attention(q, k, v, 1, false), dims(1, 1, 2), TOL, 1.66047692, 2.66047692);
    }

    @Test
    void twoHeadsWithFewerKeysThanQueries() {
        assertValues("2 heads, nq 3, nk 2", ops().attention(q(), k2(), v2(), 2, false), dims(1, 3, 4), TOL,
                0.678874552, 1.78591633, 2.33952284, 4.33023834, -0.5, 1, 1.82504189, 4.58747911,
                -1.8325783, 0.111614443, 2.17495799, 4.41252089);
    }

    @Test
    void headsOfWidthOne() {
        assertValues("4 heads", ops().attention(q(), k2(), v2(), 4, false), dims(1, 3, 4), TOL,
                0.193175733, 1.76159406, 2.4621172, 4.5, 0.642391205, 0.238405824, 1.75508142, 4.5,
                -0.5, 0.0359724201, 2.24491858, 4.5);
    }

    @Test
    void causalSeesOnlyEarlierKeys() {
        Tensor k = tensor(dims(1, 3, 4), 1, 0, 0.5, 1, -1, 2, 0, 1, 0, 1, 1, 0);
        Tensor v = tensor(dims(1, 3, 4), 1, 2, 3, 4, -2, 0, 1, 5, 0.5, 0.5, -1, 2);
        // the first query sees only the first key, so it gets v₀ exactly; the last sees them all
        assertValues("causal", ops().attention(q(), k, v, 1, true), dims(1, 3, 4), TOL,
                1, 2, 3, 4, -0.686529517, 0.875647068, 1.87564707, 4.5621767,
                -0.610103011, 0.389896959, 0.239823401, 3.5399704);
        assertValues("not causal", ops().attention(q(), k, v, 1, false), dims(1, 3, 4), TOL,
                0.584456742, 1.24829173, 1.23112166, 3.25696683, -0.437557876, 0.796824336, 1.27224481, 4.02454996,
                -0.610103011, 0.389896959, 0.239823401, 3.5399704);
    }

    @Test
    void causalWithFewerKeysThanQueries() {
        // the mask is aligned top-left: query 0 sees key 0, queries 1 and 2 see both keys
        assertValues("causal, nq 3, nk 2", ops().attention(q(), k2(), v2(), 2, true), dims(1, 3, 4), TOL,
                1, 2, 3, 4, -0.5, 1, 1.82504189, 4.58747911, -1.8325783, 0.111614443, 2.17495799, 4.41252089);
    }

    @Test
    void batchesAreIndependent() {
        Tensor q = ops().concat(0, q(), q().reshape(1, 3, 4));
        Tensor k = ops().concat(0, k2(), ops().scale(k2(), 0f));
        Tensor v = ops().concat(0, v2(), v2());
        // batch 1 has all-zero keys: uniform weights, every query gets the mean of v
        assertValues("batch 2", ops().attention(q, k, v, 2, false), dims(2, 3, 4), TOL,
                0.678874552, 1.78591633, 2.33952284, 4.33023834, -0.5, 1, 1.82504189, 4.58747911,
                -1.8325783, 0.111614443, 2.17495799, 4.41252089,
                -0.5, 1, 2, 4.5, -0.5, 1, 2, 4.5, -0.5, 1, 2, 4.5);
    }

    @Test
    void noKeysGiveZeros() {
        // torch: softmax over an empty row, times an empty v, is an empty sum
        Tensor k = ops().zeros(Shape.of(1, 0, 4));
        assertExactValues("nk 0", ops().attention(q(), k, k, 2, false), dims(1, 3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void refusesMismatchedShapes() {
        Tensor q = q();
        Tensor k = k2();
        Tensor v = v2();
        assertRefused(() -> ops().attention(q, k, v, 3, false), q.shape(), "heads 3");
        assertRefused(() -> ops().attention(q, k, v, 0, false), q.shape(), "heads 0");
        Tensor narrowK = ops().zeros(Shape.of(1, 2, 2));
        assertRefused(() -> ops().attention(q, narrowK, narrowK, 2, false), q.shape(), narrowK.shape());
        Tensor longV = ops().zeros(Shape.of(1, 3, 4));
        assertRefused(() -> ops().attention(q, k, longV, 2, false), k.shape(), longV.shape());
        Tensor batch2 = ops().zeros(Shape.of(2, 2, 4));
        assertRefused(() -> ops().attention(q, batch2, batch2, 2, false), q.shape(), batch2.shape());
        Tensor flat = ops().zeros(Shape.of(3, 4));
        assertRefused(() -> ops().attention(flat, k, v, 2, false), flat.shape());
    }
}
