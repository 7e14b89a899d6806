package io.stipple.engine.model;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;

import io.stipple.engine.model.clip.ClipLayer;
import io.stipple.engine.model.clip.ClipTextLayout;
import io.stipple.engine.model.clip.ClipTextModel;
import io.stipple.engine.model.clip.WeightedClipEncoder;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Ops;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text encoders (from golden token ids and weights) against ComfyUI's conditioning. */
class ClipGoldenTest {
    private final Ops ops = TestBackend.ops();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void sd15PromptsMatchComfyUi(int p) {
        GoldenTensors g = Golden.tensors("clip_sd15/data.safetensors");
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            var layout = new ClipTextLayout.HuggingFace(Weights.of(params, "cond_stage_model.transformer."));
            var encoder = new WeightedClipEncoder(new ClipTextModel(layout, 4), 49406, 49407, 49407);
            List<int[]> ids = chunks(g, "p" + p + "_tokens_l");
            List<float[]> weights = weightChunks(g, "p" + p + "_weights_l");
            assertCloseRelative("p" + p + "_cond", g.floats("p" + p + "_cond"),
                    encoder.encode(ids, weights, ClipLayer.LAST, false).hidden().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_cond_clipskip2", g.floats("p" + p + "_cond_clipskip2"),
                    encoder.encode(ids, weights, ClipLayer.normalizedHidden(-2), false).hidden().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_cond_clipskip3", g.floats("p" + p + "_cond_clipskip3"),
                    encoder.encode(ids, weights, ClipLayer.normalizedHidden(-3), false).hidden().toArray(), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void sdxlPromptsMatchComfyUi(int p) {
        GoldenTensors g = Golden.tensors("clip_sdxl/data.safetensors");
        try (var index = TestModels.open("models/sdxl_tiny.safetensors")) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            var clipL = new WeightedClipEncoder(new ClipTextModel(
                    new ClipTextLayout.HuggingFace(Weights.of(params, "conditioner.embedders.0.transformer.")), 4), 49406, 49407, 49407);
            var clipG = new WeightedClipEncoder(new ClipTextModel(
                    new ClipTextLayout.OpenClip(Weights.of(params, "conditioner.embedders.1.model.")), 4), 49406, 49407, 0);
            var l = clipL.encode(chunks(g, "p" + p + "_tokens_l"), weightChunks(g, "p" + p + "_weights_l"), ClipLayer.rawHidden(-2), false);
            var gg = clipG.encode(chunks(g, "p" + p + "_tokens_g"), weightChunks(g, "p" + p + "_weights_g"), ClipLayer.rawHidden(-2), true);
            assertCloseRelative("p" + p + "_clip_l_hidden", g.floats("p" + p + "_clip_l_hidden"), l.hidden().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_clip_g_hidden", g.floats("p" + p + "_clip_g_hidden"), gg.hidden().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_pooled", g.floats("p" + p + "_pooled"), gg.pooled().toArray(), 1e-4);
        }
    }

    static List<int[]> chunks(GoldenTensors g, String name) {
        long[] v = g.longs(name);
        int[] shape = g.shape(name);
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < shape[0]; c++) {
            int[] ids = new int[shape[1]];
            for (int j = 0; j < shape[1]; j++) {
                ids[j] = (int) v[c * shape[1] + j];
            }
            out.add(ids);
        }
        return out;
    }

    static List<float[]> weightChunks(GoldenTensors g, String name) {
        float[] v = g.floats(name);
        int[] shape = g.shape(name);
        List<float[]> out = new ArrayList<>();
        for (int c = 0; c < shape[0]; c++) {
            out.add(java.util.Arrays.copyOfRange(v, c * shape[1], (c + 1) * shape[1]));
        }
        return out;
    }
}
