package io.stipple.engine.text;

import java.util.Arrays;

/**
 * One encoder input window: token ids and their weights, the same length (77 for CLIP), and, at
 * the slots a textual-inversion embedding fills, its vectors ({@code vectors[i]} is null for a
 * token id; such a slot's id is 0, never the end token). Weights are float32 like the tensor ComfyUI
 * builds from them; start, end and padding tokens weigh 1. The arrays are copied in and out, so a
 * chunk never changes.
 */
public record TokenChunk(int[] ids, float[] weights, float[][] vectors) {
    public TokenChunk {
        if (ids.length != weights.length || ids.length != vectors.length) {
            throw new IllegalArgumentException("token chunk: " + ids.length + " ids, " + weights.length + " weights and " + vectors.length
                    + " vector slots (expected: the same number)");
        }
        ids = ids.clone();
        weights = weights.clone();
        vectors = deepCopy(vectors);
    }

    /** A chunk of token ids only. */
    public TokenChunk(int[] ids, float[] weights) {
        this(ids, weights, new float[ids.length][]);
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[][] vectors() {
        return deepCopy(vectors);
    }

    /** Whether any slot holds an embedding's vector. */
    public boolean hasVectors() {
        for (float[] v : vectors) {
            if (v != null) {
                return true;
            }
        }
        return false;
    }

    private static float[][] deepCopy(float[][] v) {
        float[][] c = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i] == null ? null : v[i].clone();
        }
        return c;
    }

    public int length() {
        return ids.length;
    }

    public int id(int position) {
        return ids[position];
    }

    public float weight(int position) {
        return weights[position];
    }

    /** Whether any weight differs from 1, i.e. whether the encoder must apply weighting to this chunk. */
    public boolean isWeighted() {
        for (float w : weights) {
            if (w != 1.0f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenChunk c && Arrays.equals(ids, c.ids) && Arrays.equals(weights, c.weights) && Arrays.deepEquals(vectors, c.vectors);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TokenChunk[");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(vectors[i] != null ? "<vector>" : String.valueOf(ids[i]));
            if (weights[i] != 1.0f) {
                sb.append(':').append(weights[i]);
            }
        }
        return sb.append(']').toString();
    }
}
