package io.stipple.lora.lycoris;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** DoRA on a LoRA: W_c = W + scale·ΔW renormalised by dora_scale / ‖·‖, ComfyUI's axis rule and strength. */
class DoraDecompositionTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @ParameterizedTest
    @CsvSource({"true, 1.0", "true, 0.6", "false, 1.0", "false, 0.6"})
    void renormalisesAsComfyUi(boolean outputAxis, double strength) {
        int out = 3;
        int in = 4;
        int r = 2;
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, out, r).random(STEM + ".lora_down.weight", 2, r, in)
                .put(STEM + ".alpha", new float[] {3f});
        if (outputAxis) {
            file.put(STEM + ".dora_scale", new float[] {2f, 3f, 0.5f}, out, 1);
        } else {
            file.put(STEM + ".dora_scale", new float[] {1.5f, 2f, 0.25f, 3f}, 1, in);
        }
        float[] w = TestData.values(9, out * in);
        double[] delta = TestData.mm(file.values(STEM + ".lora_up.weight"), file.values(STEM + ".lora_down.weight"), out, r, in);
        double scale = 3.0 / r;
        float[] dora = file.values(STEM + ".dora_scale");
        double[] calc = new double[out * in];
        for (int i = 0; i < calc.length; i++) {
            calc[i] = w[i] + scale * delta[i];
        }
        double[] expected = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                double norm = 0;
                if (outputAxis) {
                    for (int k = 0; k < in; k++) {
                        norm += (double) w[o * in + k] * w[o * in + k]; // the original weight's row
                    }
                } else {
                    for (int k = 0; k < out; k++) {
                        norm += calc[k * in + c] * calc[k * in + c];
                    }
                }
                double m = outputAxis ? dora[o] : dora[c];
                double v = calc[o * in + c] * m / (Math.sqrt(norm) + Math.ulp(1f));
                expected[o * in + c] = w[o * in + c] + strength * (v - w[o * in + c]);
            }
        }
        WeightPatch patch = new LowRankAdapter().patches(file, keyMap, Set.of(), ops).getFirst();
        assertTrue(patch.sourceKeys().contains(STEM + ".dora_scale"));
        float[] actual = patch.apply(ops.fromArray(w, Shape.of(out, in)), strength).toArray();
        float[] exp = new float[expected.length];
        for (int i = 0; i < exp.length; i++) {
            exp[i] = (float) expected[i];
        }
        assertClose("dora", exp, actual, 1e-5);
    }

    @Test
    void strengthZeroKeepsTheWeight() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 3, 2).random(STEM + ".lora_down.weight", 2, 2, 4)
                .put(STEM + ".dora_scale", new float[] {2f, 3f, 0.5f}, 3, 1);
        float[] w = TestData.values(9, 12);
        float[] actual = new LowRankAdapter().patches(file, keyMap, Set.of(), ops).getFirst().apply(ops.fromArray(w, Shape.of(3, 4)), 0.0)
                .toArray();
        assertExact("strength 0", w, actual);
    }

    @Test
    void aDoraScaleOfTheWrongShapeIsRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 3, 2).random(STEM + ".lora_down.weight", 2, 2, 4)
                .put(STEM + ".dora_scale", new float[] {2f, 3f}, 1, 2);
        WeightPatch patch = new LowRankAdapter().patches(file, keyMap, Set.of(), ops).getFirst();
        var e = assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(3, 4)));
        assertTrue(e.getMessage().contains("dora_scale") && e.getMessage().contains("[1, 2]") && e.getMessage().contains("[3, 4]"),
                e.getMessage());
    }
}
