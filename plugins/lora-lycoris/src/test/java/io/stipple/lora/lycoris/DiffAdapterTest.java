package io.stipple.lora.lycoris;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Slice;
import io.stipple.plugin.api.LoraKeyMap.Target;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiffAdapterTest {
    private final Ops ops = new CpuOps();

    @Test
    void weightAndBiasDifferencesAreAddedWithStrength() {
        LoraKeyMap keyMap = TestData.keyMap("diffusion_model.out.2", "model.diffusion_model.out.2.weight");
        var file = new MemoryTensorIndex().random("diffusion_model.out.2.diff", 1, 4, 3).random("diffusion_model.out.2.diff_b", 2, 4);
        List<WeightPatch> patches = new DiffAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(2, patches.size());
        assertEquals("model.diffusion_model.out.2.weight", patches.get(0).target().weight());
        assertEquals("model.diffusion_model.out.2.bias", patches.get(1).target().weight());
        float[] w = TestData.values(9, 12);
        float[] d = file.values("diffusion_model.out.2.diff");
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = w[i] + (float) 0.3 * d[i];
        }
        assertClose("diff", expected, patches.get(0).apply(ops.fromArray(w, Shape.of(4, 3)), 0.3).toArray(), 0);
    }

    @Test
    void biasOfASlicedTargetIsTheSameSliceOfTheStackedBias() {
        Slice k = new Slice(0, 32, 32);
        LoraKeyMap keyMap = new LoraKeyMap(Map.of("lora_te2_k_proj",
                new Target("conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight", Component.TEXT_ENCODER, k)));
        var file = new MemoryTensorIndex().random("lora_te2_k_proj.diff_b", 1, 32);
        WeightPatch patch = new DiffAdapter().patches(file, keyMap, Set.of(), ops).getFirst();
        assertEquals(new Target("conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_bias", Component.TEXT_ENCODER, k),
                patch.target());
    }

    @Test
    void aDifferenceOfAnotherShapeIsRefused() {
        LoraKeyMap keyMap = TestData.keyMap("lora_unet_x", "model.diffusion_model.x.weight");
        var file = new MemoryTensorIndex().random("lora_unet_x.diff", 1, 4, 3);
        WeightPatch patch = new DiffAdapter().patches(file, keyMap, Set.of(), ops).getFirst();
        var e = assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(3, 4)));
        assertTrue(e.getMessage().contains("lora_unet_x.diff") && e.getMessage().contains("[4, 3]") && e.getMessage().contains("[3, 4]"),
                e.getMessage());
    }

    @Test
    void setWeightReplacesTheWeightWhateverTheStrength() {
        LoraKeyMap keyMap = TestData.keyMap("lora_unet_norm1", "model.diffusion_model.norm1.weight");
        var file = new MemoryTensorIndex().random("lora_unet_norm1.set_weight", 1, 6);
        WeightPatch patch = new DiffAdapter().patches(file, keyMap, Set.of(), ops).getFirst();
        assertEquals(Set.of("lora_unet_norm1.set_weight"), patch.sourceKeys());
        float[] w = TestData.values(9, 6);
        assertClose("set_weight", file.values("lora_unet_norm1.set_weight"), patch.apply(ops.fromArray(w, Shape.of(6)), 0.3).toArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(7)));
    }

    @Test
    void normBiasIsReadOnlyBesideTheNormWeight() {
        LoraKeyMap keyMap = TestData.keyMap("lora_unet_norm", "model.diffusion_model.norm.weight");
        var alone = new MemoryTensorIndex().random("lora_unet_norm.b_norm", 1, 6);
        // ComfyUI reads b_norm only with w_norm: alone it is "lora key not loaded"
        assertEquals(List.of(), new DiffAdapter().patches(alone, keyMap, Set.of(), ops));
        var both = new MemoryTensorIndex().random("lora_unet_norm.w_norm", 1, 6).random("lora_unet_norm.b_norm", 2, 6);
        List<WeightPatch> patches = new DiffAdapter().patches(both, keyMap, Set.of(), ops);
        assertEquals(List.of("model.diffusion_model.norm.weight", "model.diffusion_model.norm.bias"),
                patches.stream().map(p -> p.target().weight()).toList());
    }
}
