package io.stipple.engine.model;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.model.vae.AutoencoderKL;
import io.stipple.engine.model.vae.VaeConfig;
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

/** The tiny VAE's decoder and encoder against ComfyUI. */
class VaeGoldenTest {
    private final Ops ops = TestBackend.ops();

    @Test
    void decodeAndEncodeMatchComfyUi() {
        GoldenTensors g = Golden.tensors("vae/data.safetensors");
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            VaeConfig config = VaeConfig.detectFrom(params, "first_stage_model.").orElseThrow();
            assertEquals(32, config.ch());
            assertEquals(8, config.downscale());
            AutoencoderKL vae = new AutoencoderKL(config, Weights.of(params, "first_stage_model."));

            Tensor latent = ops.fromArray(g.floats("latent"), Shape.of(g.shape("latent")));
            Tensor raw = vae.decode(latent);
            assertCloseRelative("decoder_raw", g.floats("decoder_raw"), raw.toArray(), 1e-4);

            Tensor image = ops.fromArray(g.floats("image"), Shape.of(g.shape("image"))); // NHWC 0..1
            Tensor pixels = ops.permute(image, 0, 3, 1, 2).mul(2.0).add(-1.0);
            Tensor moments = vae.encodeMoments(pixels);
            assertCloseRelative("posterior_moments", g.floats("posterior_moments"), moments.toArray(), 1e-4);
            assertCloseRelative("encoded_latent", g.floats("encoded_latent"), vae.encode(pixels).toArray(), 1e-4);
            Tensor decoded = ops.permute(ops.clamp(raw.add(1.0).div(2.0), 0f, 1f), 0, 2, 3, 1);
            assertClose("decoded_image", g.floats("decoded_image"), decoded.toArray(), 1e-4);
        }
    }
}
