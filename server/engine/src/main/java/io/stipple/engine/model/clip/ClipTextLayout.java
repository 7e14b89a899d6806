package io.stipple.engine.model.clip;

import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;

/**
 * Where a CLIP text model's weights are in a checkpoint. OpenAI's CLIP-L comes in Hugging Face's
 * layout ({@code text_model.encoder.layers.N.self_attn.q_proj}); OpenCLIP models (SDXL's bigG,
 * SD2's ViT-H) in their own ({@code transformer.resblocks.N.attn.in_proj_weight}, q, k and v stacked).
 * Both read as the same transformer.
 */
public sealed interface ClipTextLayout permits ClipTextLayout.HuggingFace, ClipTextLayout.OpenClip {

    Tensor tokenEmbedding();

    Tensor positionEmbedding();

    int layerCount();

    /** Layer {@code i}'s weights under its own names. */
    LayerWeights layer(int i);

    Weights finalLayerNorm();

    /** (width, projection) matrix for the pooled output, as {@code x @ P}; null if the checkpoint has none. */
    Tensor textProjection();

    /** OpenAI's CLIP uses QuickGELU; OpenCLIP's models GELU. */
    UnaryOp activation();

    /** The weights of one transformer layer, as (weight, bias) pairs. */
    record LayerWeights(Weights layerNorm1, Linear q, Linear k, Linear v, Linear out, Weights layerNorm2, Linear fc1, Linear fc2) {}

    /** A linear layer's weight (out, in) and bias. */
    record Linear(Tensor weight, Tensor bias) {
        Tensor apply(Tensor x) {
            return x.ops().linear(x, weight, bias);
        }
    }

    /** {@code transformer.text_model.*}: embeddings, encoder.layers, final_layer_norm. */
    record HuggingFace(Weights w) implements ClipTextLayout {
        public static boolean isAt(Weights w) {
            return w.has("text_model.embeddings.token_embedding.weight");
        }

        @Override
        public Tensor tokenEmbedding() {
            return w.get("text_model.embeddings.token_embedding.weight");
        }

        @Override
        public Tensor positionEmbedding() {
            return w.get("text_model.embeddings.position_embedding.weight");
        }

        @Override
        public int layerCount() {
            int n = 0;
            while (w.has("text_model.encoder.layers." + n + ".layer_norm1.weight")) {
                n++;
            }
            return n;
        }

        @Override
        public LayerWeights layer(int i) {
            Weights l = w.at("text_model.encoder.layers").at(i);
            return new LayerWeights(l.at("layer_norm1"), linear(l.at("self_attn.q_proj")), linear(l.at("self_attn.k_proj")),
                    linear(l.at("self_attn.v_proj")), linear(l.at("self_attn.out_proj")), l.at("layer_norm2"),
                    linear(l.at("mlp.fc1")), linear(l.at("mlp.fc2")));
        }

        @Override
        public Weights finalLayerNorm() {
            return w.at("text_model.final_layer_norm");
        }

        @Override
        public Tensor textProjection() {
            // Hugging Face stores the projection as a Linear (proj, width): transpose to x @ P
            return w.find("text_projection.weight").map(p -> p.ops().permute(p, 1, 0)).orElse(null);
        }

        @Override
        public UnaryOp activation() {
            return UnaryOp.QUICK_GELU;
        }

        private static Linear linear(Weights w) {
            return new Linear(w.get("weight"), w.orNull("bias"));
        }
    }

    /** OpenCLIP: token_embedding, positional_embedding, transformer.resblocks, ln_final, text_projection. */
    record OpenClip(Weights w) implements ClipTextLayout {
        public static boolean isAt(Weights w) {
            return w.has("token_embedding.weight") && w.has("transformer.resblocks.0.attn.in_proj_weight");
        }

        @Override
        public Tensor tokenEmbedding() {
            return w.get("token_embedding.weight");
        }

        @Override
        public Tensor positionEmbedding() {
            return w.get("positional_embedding");
        }

        @Override
        public int layerCount() {
            int n = 0;
            while (w.has("transformer.resblocks." + n + ".ln_1.weight")) {
                n++;
            }
            return n;
        }

        @Override
        public LayerWeights layer(int i) {
            Weights l = w.at("transformer.resblocks").at(i);
            Tensor inW = l.get("attn.in_proj_weight"); // (3·width, width): q, k, v stacked
            Tensor inB = l.get("attn.in_proj_bias");
            int width = inW.dim(1);
            var ops = inW.ops();
            Linear[] qkv = new Linear[3];
            for (int j = 0; j < 3; j++) {
                qkv[j] = new Linear(ops.narrow(inW, 0, j * width, width), ops.narrow(inB, 0, j * width, width));
            }
            return new LayerWeights(l.at("ln_1"), qkv[0], qkv[1], qkv[2],
                    new Linear(l.get("attn.out_proj.weight"), l.orNull("attn.out_proj.bias")), l.at("ln_2"),
                    new Linear(l.get("mlp.c_fc.weight"), l.orNull("mlp.c_fc.bias")),
                    new Linear(l.get("mlp.c_proj.weight"), l.orNull("mlp.c_proj.bias")));
        }

        @Override
        public Weights finalLayerNorm() {
            return w.at("ln_final");
        }

        @Override
        public Tensor textProjection() {
            return w.orNull("text_projection"); // (width, projection), used as x @ P
        }

        @Override
        public UnaryOp activation() {
            return UnaryOp.GELU;
        }
    }
}
