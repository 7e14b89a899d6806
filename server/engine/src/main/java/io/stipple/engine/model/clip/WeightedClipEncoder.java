package io.stipple.engine.model.clip;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.List;

/**
 * One CLIP text model with ComfyUI's prompt weighting (sd1_clip's ClipTokenWeightEncoder): every
 * 77-token chunk is encoded; when any weight differs from 1 an all-padding "empty" chunk is encoded
 * too and each weighted token's state is pulled toward (or pushed from) the empty one,
 * z = (z − z_empty)·w + z_empty. Chunks are concatenated along the token axis.
 */
public final class WeightedClipEncoder {
    private final ClipTextModel model;
    private final int startToken;
    private final int endToken;
    private final int padToken;

    public WeightedClipEncoder(ClipTextModel model, int startToken, int endToken, int padToken) {
        this.model = model;
        this.startToken = startToken;
        this.endToken = endToken;
        this.padToken = padToken;
    }

    public ClipTextModel model() {
        return model;
    }

    /**
     * @param hidden (1, 77·chunks, width) the conditioning
     * @param pooled (1, projection) the first chunk's pooled output, or null when not asked for
     */
    public record Encoded(Tensor hidden, Tensor pooled) {}

    /** Encodes chunks of token ids with their weights (each array of the same length, usually 77). */
    public Encoded encode(List<int[]> ids, List<float[]> weights, ClipLayer layer, boolean withPooled) {
        return encode(ids, weights, null, layer, withPooled);
    }

    /** As {@link #encode(List, List, ClipLayer, boolean)}, with each chunk's embedding vectors (null slots for ids; the list may be null). */
    public Encoded encode(List<int[]> ids, List<float[]> weights, List<float[][]> vectors, ClipLayer layer, boolean withPooled) {
        if (ids.isEmpty() || ids.size() != weights.size()) {
            throw new IllegalArgumentException("need one weight array per token chunk, got " + ids.size() + " and " + weights.size());
        }
        int length = ids.getFirst().length;
        boolean weighted = weights.stream().anyMatch(w -> {
            for (float v : w) {
                if (v != 1f) {
                    return true;
                }
            }
            return false;
        });
        int sections = ids.size();
        int[][] batch = new int[sections + (weighted ? 1 : 0)][];
        float[][][] slots = vectors == null ? null : new float[batch.length][][];
        for (int i = 0; i < sections; i++) {
            batch[i] = ids.get(i);
            if (slots != null) {
                slots[i] = vectors.get(i);
            }
        }
        if (weighted) {
            batch[sections] = emptyTokens(length);
        }
        try (TensorScope scope = model.ops().scope()) {
            Encoded encoded = encode(batch, slots, sections, length, weights, weighted, layer, withPooled);
            return new Encoded(scope.keep(encoded.hidden()), scope.keep(encoded.pooled()));
        }
    }

    private Encoded encode(int[][] batch, float[][][] slots, int sections, int length, List<float[]> weights, boolean weighted,
            ClipLayer layer, boolean withPooled) {
        ClipTextModel.Output out = model.forward(batch, slots, layer.index());
        Tensor states = layer.normalize() ? model.finalLayerNorm(out.hidden()) : out.hidden(); // (batch, length, width)
        Ops ops = states.ops();
        int width = states.dim(2);
        Tensor z = weighted ? ops.narrow(states, 0, 0, sections) : states; // (sections, length, width)
        if (weighted) {
            float[] perToken = new float[sections * length];
            for (int k = 0; k < sections; k++) {
                System.arraycopy(weights.get(k), 0, perToken, k * length, length);
            }
            z = ops.weightTokens(z, ops.narrow(states, 0, sections, 1), perToken);
        }
        Tensor hidden = z.reshape(1, sections * length, width);
        Tensor pooled = null;
        if (withPooled) {
            Tensor p = model.pooled(out, batch, endToken);
            pooled = ops.narrow(p, 0, 0, 1);
        }
        return new Encoded(hidden, pooled);
    }

    /** ComfyUI's gen_empty_tokens: start, end, then padding. */
    private int[] emptyTokens(int length) {
        int[] t = new int[length];
        java.util.Arrays.fill(t, padToken);
        t[0] = startToken;
        if (length > 1) {
            t[1] = endToken;
        }
        return t;
    }
}
