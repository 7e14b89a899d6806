package io.stipple.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ComfyUI (a125cd8) loads but does not apply, or does not match, in a file whose other modules
 * it applies (golden README, lora_formats): a LoKr with a Tucker {@code lokr_t2} and a BOFT without
 * {@code .alpha} (its adapters raise, the weight stays unpatched) and diffusers/PEFT attention names
 * without {@code .processor.}, or with it and to_out's {@code .0}, and kohya's {@code _to_out} without
 * {@code _0} (not in its SD1.5 key map). Stipple follows: those weights keep the
 * checkpoint's values, the rest of the file applies, and the modules' keys are named in the
 * "lora key not loaded" warning.
 */
class LoraComfyUiSkipsTest {
    private static final String CONV1 = "lora_unet_down_blocks_0_resnets_0_conv1";
    private static final String FF2 = "lora_unet_up_blocks_1_attentions_0_transformer_blocks_0_ff_net_2";
    private static final String PEFT_Q = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q";
    private static final String PROCESSOR_OUT_0 = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.processor.to_out.0";
    private static final String KOHYA_OUT = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_out";
    private static final String TO_K = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k";

    @TempDir
    Path dir;

    @Test
    void theWeightsComfyUiLeavesUnpatchedKeepTheirValuesAndTheRestApplies() throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        // LoKr, w2 as a Tucker rebuild einsum(t2, w2_b, w2_a) (8, 8, 3, 3), for conv1 (32, 32, 3, 3)
        add(entries, CONV1 + ".lokr_w1", 4, 4);
        add(entries, CONV1 + ".lokr_t2", 2, 2, 3, 3);
        add(entries, CONV1 + ".lokr_w2_a", 2, 8);
        add(entries, CONV1 + ".lokr_w2_b", 2, 8);
        // BOFT (2 stages of 8 blocks of 4) for ff.net.2 (32, 128), without alpha
        add(entries, FF2 + ".oft_blocks", 2, 8, 4, 4);
        // PEFT attention names without ".processor.", a processor name with to_out's ".0", kohya's to_out without "_0"
        add(entries, PEFT_Q + ".lora_A.weight", 4, 32);
        add(entries, PEFT_Q + ".lora_B.weight", 32, 4);
        add(entries, PROCESSOR_OUT_0 + ".lora_A.weight", 4, 32);
        add(entries, PROCESSOR_OUT_0 + ".lora_B.weight", 32, 4);
        add(entries, KOHYA_OUT + ".lora_down.weight", 4, 32);
        add(entries, KOHYA_OUT + ".lora_up.weight", 32, 4);
        // and a module ComfyUI applies
        add(entries, TO_K + ".lora_down.weight", 4, 32);
        add(entries, TO_K + ".lora_up.weight", 32, 4);
        Path file = dir.resolve("skips.safetensors");
        new SafetensorsFormat().write(file, entries, Map.of());

        CpuOps ops = new CpuOps();
        try (LoraTesting model = new LoraTesting("models/sd15_tiny.safetensors", ops);
                LoadedLora lora = model.loader.load("skips.safetensors", new SafetensorsFormat().open(file))) {
            String unet = "model.diffusion_model.";
            String toK = unet + "input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight";
            assertEquals(List.of(toK), List.copyOf(lora.patches().keySet()));
            assertEquals(new TreeSet<>(List.of(CONV1 + ".lokr_w1", CONV1 + ".lokr_t2", CONV1 + ".lokr_w2_a", CONV1 + ".lokr_w2_b",
                    FF2 + ".oft_blocks", PEFT_Q + ".lora_A.weight", PEFT_Q + ".lora_B.weight", PROCESSOR_OUT_0 + ".lora_A.weight",
                    PROCESSOR_OUT_0 + ".lora_B.weight", KOHYA_OUT + ".lora_down.weight", KOHYA_OUT + ".lora_up.weight")),
                    new TreeSet<>(lora.unmatchedKeys()));
            assertTrue(lora.warning().orElseThrow().startsWith("lora key not loaded: 11 keys of skips.safetensors"),
                    lora.warning().orElseThrow());

            var patched = new PatchedParameters(model.params, List.of(new AppliedLora(lora, 1.0, 1.0)));
            for (String kept : List.of("input_blocks.1.0.in_layers.2.weight", "output_blocks.2.1.transformer_blocks.0.ff.net.2.weight",
                    "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight",
                    "input_blocks.1.1.transformer_blocks.0.attn2.to_out.0.weight")) {
                assertSame(model.params.get(unet + kept), patched.get(unet + kept), kept);
            }
            assertNotSame(model.params.get(toK), patched.get(toK));
        }
    }

    private static void add(List<TensorEntry> entries, String name, int... shape) {
        Shape s = Shape.of(shape);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        MemorySegment seg = Arena.ofAuto().allocate(s.numel() * 4);
        for (long i = 0; i < s.numel(); i++) {
            seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (r.nextDouble() - 0.5) * 0.2f);
        }
        entries.add(new TensorEntry(new TensorInfo(name, DType.F32, s), () -> seg));
    }
}
