package io.stipple.engine.model;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.model.unet.UNetModel;
import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import io.stipple.engine.sampling.DiscreteModelSampling;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.engine.sampling.UnetDenoiser;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

/** The UNet forward and apply_model against ComfyUI on the tiny SD1.5 and SDXL checkpoints. */
class UnetGoldenTest {
    private static final String PREFIX = "model.diffusion_model.";
    private final Ops ops = TestBackend.ops();

    @Test
    void sd15ConfigIsDetectedFromShapes() {
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            UnetConfig c = UnetConfig.detectFrom(new CheckpointParameters(index, ops, WeightPolicy.AS_STORED), PREFIX,
                    AttentionHeads.count(8)).orElseThrow();
            assertEquals(32, c.modelChannels());
            assertArrayEquals(new int[] {1, 2}, c.channelMult());
            assertArrayEquals(new int[] {1, 1}, c.numResBlocks());
            assertArrayEquals(new int[] {1, 1}, c.transformerDepth());
            assertArrayEquals(new int[] {1, 1, 1, 1}, c.transformerDepthOutput());
            assertEquals(1, c.transformerDepthMiddle());
            assertEquals(32, c.contextDim());
            assertEquals(false, c.useLinearInTransformer());
            assertEquals(0, c.admInChannels());
        }
    }

    @Test
    void sdxlConfigIsDetectedFromShapes() {
        try (var index = TestModels.open("models/sdxl_tiny.safetensors")) {
            UnetConfig c = UnetConfig.detectFrom(new CheckpointParameters(index, ops, WeightPolicy.AS_STORED), PREFIX,
                    AttentionHeads.width(32)).orElseThrow();
            assertArrayEquals(new int[] {2, 2}, c.numResBlocks());
            assertArrayEquals(new int[] {0, 0, 2, 2}, c.transformerDepth());
            assertArrayEquals(new int[] {0, 0, 0, 2, 2, 2}, c.transformerDepthOutput());
            assertEquals(2, c.transformerDepthMiddle());
            assertEquals(64, c.contextDim());
            assertEquals(true, c.useLinearInTransformer());
            assertEquals(1568, c.admInChannels());
        }
    }

    @Test
    void sdxlAdmVectorMatchesComfyUi() {
        GoldenTensors g = Golden.tensors("unet_sdxl/data.safetensors");
        // encode_adm_kwargs in the manifest: width 1024, height 768, crop_w 0, crop_h 16, target 1024x768
        var size = new SdxlSizeConditioning(1024, 768, 16, 0, 1024, 768);
        Tensor pooled = tensor(g, "pooled_output");
        for (int b = 0; b < pooled.dim(0); b++) {
            Tensor y = size.adm(ops.narrow(pooled, 0, b, 1));
            float[] expected = java.util.Arrays.copyOfRange(g.floats("y"), b * 1568, (b + 1) * 1568);
            // torch evaluates exp/sin/cos with SLEEF's vectorised float kernels (within 1 ulp, not correctly
            // rounded); a 1-ulp frequency at arguments near 1000 moves sin by ~3e-5: a forward's tolerance
            assertCloseRelative("y[" + b + "]", expected, y.toArray(), 1e-4);
        }
    }

    @Test
    void sd15MatchesComfyUi() {
        check("models/sd15_tiny.safetensors", "unet_sd15/data.safetensors", AttentionHeads.count(8), false);
    }

    @Test
    void sdxlMatchesComfyUi() {
        check("models/sdxl_tiny.safetensors", "unet_sdxl/data.safetensors", AttentionHeads.width(32), true);
    }

    private void check(String model, String data, AttentionHeads heads, boolean adm) {
        GoldenTensors g = Golden.tensors(data);
        try (var index = TestModels.open(model)) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            UnetConfig config = UnetConfig.detectFrom(params, PREFIX, heads).orElseThrow();
            UNetModel unet = new UNetModel(config, Weights.of(params, PREFIX));
            Tensor x = tensor(g, "x");
            Tensor context = tensor(g, "context");
            Tensor y = adm ? tensor(g, "y") : null;
            Tensor eps = unet.forward(x, g.floats("timesteps"), context, y);
            assertCloseRelative("eps", g.floats("eps"), eps.toArray(), 1e-4);

            var sampling = DiscreteModelSampling.scaledLinear();
            float[] sigma = g.floats("sigma");
            float[] t = new float[sigma.length];
            for (int i = 0; i < sigma.length; i++) {
                t[i] = sampling.timestep(sigma[i]);
            }
            assertExact("sigma_to_timestep", g.floats("sigma_to_timestep"), t);
            Tensor denoised = new UnetDenoiser(unet, sampling).denoise(x, sigma, context, y);
            assertCloseRelative("apply_model_denoised", g.floats("apply_model_denoised"), denoised.toArray(), 1e-4);
        }
    }

    private Tensor tensor(GoldenTensors g, String name) {
        return ops.fromArray(g.floats(name), Shape.of(g.shape(name)));
    }
}
