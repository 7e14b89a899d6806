package io.stipple.engine.model.clip;

import io.stipple.engine.model.nn.Layers;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/**
 * CLIP's text transformer (causal self-attention, pre-LayerNorm), for SD1.x's CLIP-L and SDXL's
 * CLIP-L and bigG alike. Gives the hidden state after any layer and the pooled, projected output
 * at the end-of-text token, as ComfyUI's {@code CLIPTextModel_} does.
 */
public final class ClipTextModel {
    private static final float EPS = 1e-5f;

    private final ClipTextLayout layout;
    private final int heads;
    private final int layers;

    public ClipTextModel(ClipTextLayout layout, int heads) {
        this.layout = layout;
        this.heads = heads;
        this.layers = layout.layerCount();
    }

    public int layers() {
        return layers;
    }

    /** The backend holding the weights. */
    public Ops ops() {
        return layout.tokenEmbedding().ops();
    }

    public int width() {
        return layout.tokenEmbedding().dim(1);
    }

    /**
     * @param hidden the hidden state requested: the output of layer {@code layerIndex}
     *     (0-based; the last layer's is the final output before final_layer_norm)
     * @param finalNormalized final_layer_norm of the last layer's output (batch, tokens, width)
     */
    public record Output(Tensor hidden, Tensor finalNormalized) {}

    /**
     * Runs the token chunks (each {@code tokens} ids) as one batch.
     *
     * @param layerIndex which layer's output to return as {@code hidden}; negative counts from the
     *     end as ComfyUI's clip_layer does (-1 the last, -2 the penultimate)
     */
    public Output forward(int[][] chunks, int layerIndex) {
        return forward(chunks, null, layerIndex);
    }

    /**
     * As {@link #forward(int[][], int)}, with textual-inversion vectors in some slots: {@code vectors[b][i]},
     * when not null, is the input embedding of chunk b's token i in place of its id's row (ComfyUI's
     * process_tokens); {@code vectors} may be null for none.
     */
    public Output forward(int[][] chunks, float[][][] vectors, int layerIndex) {
        Ops ops = layout.tokenEmbedding().ops();
        int batch = chunks.length;
        int n = chunks[0].length;
        int width = width();
        int stopAt = layerIndex < 0 ? layers + layerIndex : layerIndex;
        if (stopAt < 0 || stopAt >= layers) {
            throw new IllegalArgumentException("clip layer " + layerIndex + " out of range for a " + layers + "-layer text model");
        }
        int[] flat = new int[batch * n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(chunks[b], 0, flat, b * n, n);
        }
        Tensor x = withVectors(ops.embedding(layout.tokenEmbedding(), flat), vectors, n, width).reshape(batch, n, width);
        Tensor pos = ops.narrow(layout.positionEmbedding(), 0, 0, n).reshape(1, n, width);
        x = x.add(pos);
        Tensor hidden = null;
        for (int i = 0; i < layers; i++) {
            x = layer(layout.layer(i), x);
            if (i == stopAt) {
                hidden = x;
            }
        }
        Tensor fin = Layers.layerNorm(layout.finalLayerNorm(), x, EPS);
        return new Output(hidden, fin);
    }

    /** The token embeddings (batch·n, width) with the slots that hold vectors replaced by them. */
    private static Tensor withVectors(Tensor embedded, float[][][] vectors, int n, int width) {
        if (vectors == null || java.util.Arrays.stream(vectors).allMatch(c -> c == null || java.util.Arrays.stream(c).allMatch(v -> v == null))) {
            return embedded;
        }
        float[] rows = embedded.toArray(); // a prompt's few chunks: small, once per encode
        for (int b = 0; b < vectors.length; b++) {
            for (int i = 0; vectors[b] != null && i < n; i++) {
                float[] v = vectors[b][i];
                if (v != null) {
                    if (v.length != width) {
                        throw new IllegalArgumentException("an embedding vector of " + v.length + " channels in a text model of " + width);
                    }
                    System.arraycopy(v, 0, rows, (b * n + i) * width, width);
                }
            }
        }
        return embedded.ops().fromArray(rows, embedded.shape());
    }

    /** final_layer_norm applied to a hidden state (SD1.x's clip skip normalises the hidden layer). */
    public Tensor finalLayerNorm(Tensor hidden) {
        return Layers.layerNorm(layout.finalLayerNorm(), hidden, EPS);
    }

    /**
     * The pooled output: the final normalised state at each chunk's first end-of-text token,
     * projected with text_projection. (batch, projection).
     */
    public Tensor pooled(Output out, int[][] chunks, int endToken) {
        Tensor projection = layout.textProjection();
        if (projection == null) {
            throw new IllegalStateException("this text model has no text_projection: no pooled output");
        }
        Ops ops = projection.ops();
        Tensor fin = out.finalNormalized();
        int width = fin.dim(2);
        Tensor[] rows = new Tensor[chunks.length];
        for (int b = 0; b < chunks.length; b++) {
            int at = 0; // torch's argmax of (tokens == end): the first end token, or 0 if there is none
            for (int i = 0; i < chunks[b].length; i++) {
                if (chunks[b][i] == endToken) {
                    at = i;
                    break;
                }
            }
            rows[b] = ops.narrow(ops.narrow(fin, 0, b, 1), 1, at, 1).reshape(1, width);
        }
        Tensor picked = ops.concat(0, rows);
        return ops.matmul(picked, projection);
    }

    private Tensor layer(ClipTextLayout.LayerWeights w, Tensor x) {
        Tensor h = Layers.layerNorm(w.layerNorm1(), x, EPS);
        Tensor q = w.q().apply(h);
        Tensor k = w.k().apply(h);
        Tensor v = w.v().apply(h);
        Tensor attn = x.ops().attention(q, k, v, heads, true);
        x = x.add(w.out().apply(attn));
        h = Layers.layerNorm(w.layerNorm2(), x, EPS);
        h = w.fc2().apply(w.fc1().apply(h).apply(layout.activation()));
        return x.add(h);
    }
}
