package io.stipple.engine.model.vae;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.Ops;
import io.stipple.tensor.random.TorchGenerator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Tiled decoding: the tiles land where they belong and blend to the whole; small latents are decoded whole. */
class TiledVaeDecoderTest {
    private final Ops ops = TestBackend.ops();

    private Tensor latent(int h, int w) {
        return ops.fromArray(new TorchGenerator(3).randn(1, 4, h, w), Shape.of(1, 4, h, w));
    }

    @Test
    void aLocalDecoderIsReassembledExactly() {
        // a "decoder" that sees one latent pixel at a time: tiling cannot change what it gives
        UnaryOperator<Tensor> local = t -> ops.upsampleNearest(ops.narrow(t, 1, 0, 3), t.dim(2) * 8, t.dim(3) * 8);
        Tensor latent = latent(40, 56);
        Tensor tiled = TiledVaeDecoder.tiled(local, 8, latent, 24, 8);
        assertClose("tiled", local.apply(latent).toArray(), tiled.toArray(), 1e-5);
    }

    @Test
    void pastTheWholeImageLimitTheTilesReassembleTheDecoderExactly() {
        // the real tile and overlap sizes on a latent just past the limit (1088x1088 pixels, 136² latent pixels)
        UnaryOperator<Tensor> local = t -> ops.upsampleNearest(ops.narrow(t, 1, 0, 3), t.dim(2) * 8, t.dim(3) * 8);
        Tensor latent = latent(136, 136);
        assertTrue(136 * 136 > TiledVaeDecoder.WHOLE_LIMIT);
        int[] calls = {0};
        UnaryOperator<Tensor> counted = t -> {
            calls[0]++;
            return local.apply(t);
        };
        Tensor decoded = TiledVaeDecoder.decode(counted, 8, latent);
        assertTrue(calls[0] > 1, "decoded in tiles: " + calls[0] + " call(s)");
        assertClose("tiled past the limit", local.apply(latent).toArray(), decoded.toArray(), 1e-6);
        calls[0] = 0;
        Tensor atLimit = latent(128, 128);
        assertArrayEquals(local.apply(atLimit).toArray(), TiledVaeDecoder.decode(counted, 8, atLimit).toArray());
        assertTrue(calls[0] == 1, "decoded whole at the limit");
    }

    @Test
    void theVaeIsDecodedWholeUpTo1024AndTiledBeyond() {
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            var vae = new AutoencoderKL(VaeConfig.detectFrom(params, "first_stage_model.").orElseThrow(),
                    Weights.of(params, "first_stage_model."));
            Tensor small = latent(16, 16);
            assertArrayEquals(vae.decode(small).toArray(), TiledVaeDecoder.decode(vae, small).toArray());
            Tensor large = latent(40, 56);
            Tensor whole = vae.decode(large);
            Tensor tiled = TiledVaeDecoder.tiled(vae::decode, 8, large, 24, 8);
            float[] a = whole.toArray();
            float[] b = tiled.toArray();
            double diff = 0;
            double size = 0;
            for (int i = 0; i < a.length; i++) {
                diff += Math.abs(a[i] - b[i]);
                size += Math.abs(a[i]);
            }
            // the mid-block attention sees a whole tile, so tiles differ (with these random weights by about a
            // fifth); misplaced or unblended tiles would differ by about the values' own size
            assertTrue(diff < 0.3 * size, "mean difference " + diff / a.length + " against a mean value of " + size / a.length);
        }
    }
}
