package io.stipple.engine.model;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.model.vae.AutoencoderKL;
import io.stipple.engine.model.vae.VaeFiles;
import io.stipple.engine.testing.TestBackend;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

/**
 * A standalone VAE in the diffusers layout (case vae_diffusers): read under ComfyUI's ldm names, it
 * decodes and encodes as ComfyUI's VAE loader does, within the vae case's 1e-4.
 */
class VaeDiffusersGoldenTest {
    private final Ops ops = TestBackend.ops();

    @Test
    void decodeAndEncodeMatchComfyUi() {
        GoldenTensors g = Golden.tensors("vae_diffusers/data.safetensors");
        try (var index = TestModels.open("vae_diffusers/vae_diffusers.safetensors")) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            assertTrue(params.has("decoder.up_blocks.0.resnets.0.norm1.weight"), "the file is in the diffusers layout");
            AutoencoderKL vae = VaeFiles.load(params);
            assertEquals(32, vae.config().ch());

            Tensor latent = ops.fromArray(g.floats("latent"), Shape.of(g.shape("latent")));
            Tensor raw = vae.decode(latent);
            Tensor decoded = ops.permute(ops.clamp(raw.add(1.0).div(2.0), 0f, 1f), 0, 2, 3, 1);
            assertClose("decoded_image", g.floats("decoded_image"), decoded.toArray(), 1e-4);

            Tensor image = ops.fromArray(g.floats("image"), Shape.of(g.shape("image"))); // NHWC 0..1
            Tensor pixels = ops.permute(image, 0, 3, 1, 2).mul(2.0).add(-1.0);
            assertCloseRelative("encoded_latent", g.floats("encoded_latent"), vae.encode(pixels).toArray(), 1e-4);
        }
    }

    @Test
    void aFileWithoutAVaeSaysWhatItExpected() {
        try (var index = TestModels.open("lora/lora_a.safetensors")) {
            var e = assertThrows(UnsupportedModelException.class, () -> VaeFiles.load(new CheckpointParameters(index, ops, WeightPolicy.AS_STORED)));
            assertTrue(e.getMessage().startsWith("no VAE in this file (expected: decoder.conv_in.weight"), e.getMessage());
        }
    }
}
