package io.stipple.engine.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import io.stipple.engine.weights.Weights;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cpu.gemm.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analytic count against the work an actual forward does: the CPU backend runs every
 * convolution, linear layer and attention product as a GEMM, so summing 2·m·n·k over its GEMM calls
 * during one forward of the tiny models gives the same number, exactly, when the count is right.
 */
class UnetFlopsTest {
    /** Counts the multiply-adds of the GEMMs it passes on. */
    private static final class CountingGemm implements Gemm {
        private final Gemm inner = Gemm.java();
        double flops;

        @Override
        public String name() {
            return "counting " + inner.name();
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                int ldb, float beta, float[] c, int cOff, int ldc) {
            flops += 2.0 * m * n * k;
            inner.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @CsvSource({"models/sd15_tiny.safetensors, 8, 8, 0", "models/sd15_tiny.safetensors, 7, 12, 0", "models/sdxl_tiny.safetensors, 8, 6, 32"})
    void theCountIsTheGemmWorkOfAForward(String model, int h, int w, int headWidth) {
        CountingGemm gemm = new CountingGemm();
        CpuOps ops = new CpuOps(gemm);
        try (var index = TestModels.open(model)) {
            var params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            AttentionHeads heads = headWidth > 0 ? AttentionHeads.width(headWidth) : AttentionHeads.count(8);
            UnetConfig config = UnetConfig.detectFrom(params, "model.diffusion_model.", heads).orElseThrow();
            UNetModel unet = new UNetModel(config, Weights.of(params, "model.diffusion_model."));
            Tensor x = ops.zeros(Shape.of(2, config.inChannels(), h, w));
            Tensor context = ops.zeros(Shape.of(2, 77, config.contextDim()));
            Tensor y = config.admInChannels() > 0 ? ops.zeros(Shape.of(2, config.admInChannels())) : null;
            gemm.flops = 0;
            unet.forward(x, new float[] {999, 999}, context, y);
            assertEquals(gemm.flops, UnetFlops.forward(config, 2, h, w, 77), 0.0, "FLOPs of one forward");
        }
    }
}
