package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Target;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic values and a small key map for the adapter tests. */
final class TestData {
    private TestData() {}

    static float[] values(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** stem -> weight, all UNet. */
    static LoraKeyMap keyMap(String... stemAndWeight) {
        java.util.LinkedHashMap<String, Target> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < stemAndWeight.length; i += 2) {
            m.put(stemAndWeight[i], new Target(stemAndWeight[i + 1], Component.UNET));
        }
        return new LoraKeyMap(Map.copyOf(m));
    }

    /** Row-major (m, k) @ (k, n) in double. */
    static double[] mm(float[] a, float[] b, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (double) a[i * k + t] * b[t * n + j];
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    /** weight + scale·delta, rounded to float. */
    static float[] plus(float[] weight, double[] delta, double scale) {
        float[] out = new float[weight.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (weight[i] + scale * delta[i]);
        }
        return out;
    }
}
