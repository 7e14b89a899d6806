package io.stipple.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    private static float[] exp(float[] x) {
        float[] out = new float[x.length];
        int l = FloatVector.SPECIES_PREFERRED.length();
        for (int i = 0; i < x.length; i += l) {
            VectorMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void expIsWithinTwoUlpsOfTheTrueValueOverTheWholeRange() {
        int n = 1 << 16;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -87f + 175.5f * i / n;
        }
        float[] y = exp(x);
        for (int i = 0; i < n; i++) {
            double want = Math.exp(x[i]);
            double ulp = Math.ulp((float) want);
            assertTrue(Math.abs(y[i] - want) <= 2 * ulp, "exp(" + x[i] + ") = " + y[i] + ", expected " + want);
        }
    }

    @Test
    void expSaturatesAndKeepsInfinitiesAndNaN() {
        int l = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[l];
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = -1000f;
        x[2] = 1000f;
        x[3] = Float.NaN;
        x[4] = 0f;
        x[5] = 88.7f;
        float[] y = exp(x);
        assertEquals(0f, y[0]);
        assertEquals(0f, y[1]);
        assertEquals(Float.POSITIVE_INFINITY, y[2]);
        assertTrue(Float.isNaN(y[3]));
        assertEquals(1f, y[4]);
        assertEquals((float) Math.exp(88.7f), y[5], Math.ulp((float) Math.exp(88.7f)) * 2);
    }

    @Test
    void softmaxGivesTheSameBitsEveryTime() {
        float[] row = new float[1000];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) Math.sin(i * 0.37) * 20f;
        }
        float[] first = row.clone();
        VectorMath.softmaxRows(first, 0, 0, 1, row.length);
        for (int run = 0; run < 20_000; run++) { // long enough for the JIT to compile the kernel
            float[] again = row.clone();
            VectorMath.softmaxRows(again, 0, 0, 1, row.length);
            for (int i = 0; i < row.length; i++) {
                assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(again[i]), "run " + run + " index " + i);
            }
        }
    }
}
