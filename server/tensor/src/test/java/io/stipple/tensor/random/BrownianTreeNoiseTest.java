package io.stipple.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of {@link BrownianTreeNoise} that hold whatever torch's numbers are. */
class BrownianTreeNoiseTest {
    private static final int[] SHAPE = {1, 4, 8, 8};
    /** A 10-step Karras schedule for SD1.5's sigma range, trailing zero left out. */
    private static final float[] SIGMAS = karras(10, 0.0291675f, 14.614642f);

    @Test
    void noiseDoesNotDependOnQueryOrderOrOnTheCache() {
        BrownianTreeNoise inOrder = new BrownianTreeNoise(SHAPE, SIGMAS[SIGMAS.length - 1], SIGMAS[0], 7);
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            expected.add(inOrder.sample(SIGMAS[i], SIGMAS[i + 1]));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(1));
        BrownianTreeNoise shuffled = new BrownianTreeNoise(SHAPE, SIGMAS[SIGMAS.length - 1], SIGMAS[0], 7);
        for (int i : order) {
            assertArrayEquals(expected.get(i), shuffled.sample(SIGMAS[i], SIGMAS[i + 1]), "step " + i);
        }
        for (int i : order) { // asked again, from the cache or recomputed
            assertArrayEquals(expected.get(i), shuffled.sample(SIGMAS[i], SIGMAS[i + 1]), "step " + i + " again");
        }
    }

    @Test
    void swappingTheSigmasNegatesTheNoise() {
        BrownianTreeNoise noise = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 3);
        float[] down = noise.sample(6.0f, 2.0f);
        float[] up = noise.sample(2.0f, 6.0f);
        for (int i = 0; i < down.length; i++) {
            assertEquals(-down[i], up[i], 0f, "element " + i);
        }
    }

    @Test
    void aReversedRangeNegatesTheNoise() {
        float[] normal = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 3).sample(6.0f, 2.0f);
        float[] reversed = new BrownianTreeNoise(SHAPE, 14.6f, 0.03f, 3).sample(6.0f, 2.0f);
        for (int i = 0; i < normal.length; i++) {
            assertEquals(-normal[i], reversed[i], 0f, "element " + i);
        }
    }

    @Test
    void incrementsAddUpAlongThePath() {
        // W(a,c) = W(a,b) + W(b,c): each sample is W / sqrt(length), so undo that and compare
        BrownianTreeNoise noise = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 11);
        float a = 9.0f, b = 2.5f, c = 0.4f;
        float[] whole = noise.sample(a, c);
        float[] first = noise.sample(a, b);
        float[] second = noise.sample(b, c);
        for (int i = 0; i < whole.length; i++) {
            double sum = first[i] * Math.sqrt(a - b) + second[i] * Math.sqrt(b - c);
            assertEquals(whole[i] * Math.sqrt(a - c), sum, 1e-4, "element " + i);
        }
    }

    @Test
    void samplesAreStandardNormal() {
        BrownianTreeNoise noise = new BrownianTreeNoise(new int[] {1, 4, 64, 64}, 0.0291675f, 14.614642f, 5);
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            float[] v = noise.sample(SIGMAS[i], SIGMAS[i + 1]);
            double sum = 0;
            double sq = 0;
            for (float x : v) {
                sum += x;
                sq += (double) x * x;
            }
            double mean = sum / v.length;
            assertEquals(0.0, mean, 0.05, "mean at step " + i);
            assertEquals(1.0, sq / v.length - mean * mean, 0.06, "variance at step " + i);
        }
    }

    @Test
    void seedsGiveDifferentNoiseAndHighSeedsWork() {
        float[] a = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 1).sample(6f, 2f);
        float[] b = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 2).sample(6f, 2f);
        float[] high = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, -1L).sample(6f, 2f); // seed 2^64 - 1
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, high));
        assertArrayEquals(a, new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 1).sample(6f, 2f));
    }

    @Test
    void sigmasOutsideTheRangeAreClamped() {
        BrownianTreeNoise noise = new BrownianTreeNoise(SHAPE, 0.03f, 14.6f, 4);
        float[] toZero = noise.sample(0.5f, 0f);
        float[] toMin = noise.sample(0.5f, 0.03f);
        // the same increment, divided by sqrt(0.5) instead of sqrt(0.47)
        float ratio = (float) Math.sqrt(0.5f - 0.03f) / (float) Math.sqrt(0.5f);
        for (int i = 0; i < toZero.length; i++) {
            assertEquals(toMin[i] * ratio, toZero[i], 1e-5f, "element " + i);
        }
    }

    @Test
    void latentSizedStepsAreFast() {
        BrownianTreeNoise noise = new BrownianTreeNoise(new int[] {1, 4, 128, 128}, 0.0291675f, 14.614642f, 42);
        long start = System.nanoTime();
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            noise.sample(SIGMAS[i], SIGMAS[i + 1]);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 20_000, "10 Brownian steps on [1,4,128,128] took " + millis + " ms");
    }

    @Test
    void badArgumentsAreRefused() {
        var same = assertThrows(IllegalArgumentException.class, () -> new BrownianTreeNoise(SHAPE, 1f, 1f, 0));
        assertEquals("sigma range [1.0, 1.0] (expected: two different finite sigmas)", same.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> new BrownianTreeNoise(SHAPE, Float.NaN, 1f, 0));
        assertEquals("sigma range [NaN, 1.0] (expected: two different finite sigmas)", nan.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> new BrownianTreeNoise(new int[] {1, -4}, 0.1f, 1f, 0));
        assertEquals("shape [1, -4]: dimension -4 (expected: >= 0)", shape.getMessage());
        BrownianTreeNoise noise = new BrownianTreeNoise(SHAPE, 0.1f, 1f, 0);
        var query = assertThrows(IllegalArgumentException.class, () -> noise.sample(0.5f, Float.POSITIVE_INFINITY));
        assertEquals("sigmas 0.5 -> Infinity (expected: finite values)", query.getMessage());
    }

    private static float[] karras(int n, float sigmaMin, float sigmaMax) {
        double minInv = Math.pow(sigmaMin, 1 / 7.0);
        double maxInv = Math.pow(sigmaMax, 1 / 7.0);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) Math.pow(maxInv + i / (double) (n - 1) * (minInv - maxInv), 7);
        }
        return s;
    }
}
