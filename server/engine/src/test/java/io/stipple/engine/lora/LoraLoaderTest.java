package io.stipple.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reading LoRA files against a model: what is refused, what is reported. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraLoaderTest {
    private static final String TO_Q = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
    private final CpuOps ops = new CpuOps();
    private LoraTesting model;
    @TempDir
    Path dir;

    @BeforeAll
    void open() {
        model = new LoraTesting("models/sd15_tiny.safetensors", ops);
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void aFactorWithoutItsPartnerNamesTheLoraAndTheKey() throws IOException {
        TensorIndex file = write("broken.safetensors", Map.of(TO_Q + ".lora_up.weight", Shape.of(32, 4)));
        var e = assertThrows(IllegalArgumentException.class, () -> model.loader.load("broken", file));
        assertTrue(e.getMessage().startsWith("LoRA broken (lora): ") && e.getMessage().contains(TO_Q + ".lora_down.weight"),
                e.getMessage());
    }

    @Test
    void aPatchForAWeightTheModelLacksIsReportedNotApplied() throws IOException {
        // SD's attention projections have no bias: ComfyUI reports such a patch as not loaded
        var tensors = new LinkedHashMap<String, Shape>();
        tensors.put(TO_Q + ".lora_up.weight", Shape.of(32, 4));
        tensors.put(TO_Q + ".lora_down.weight", Shape.of(4, 32));
        tensors.put(TO_Q + ".diff_b", Shape.of(32));
        LoadedLora lora = model.loader.load("bias", write("bias.safetensors", tensors));
        assertEquals(List.of(TO_Q + ".diff_b"), lora.unmatchedKeys());
        assertEquals(List.of("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"),
                List.copyOf(lora.patches().keySet()));
    }

    @Test
    void theWarningNamesTheFirstUnmatchedKeysAndCountsTheRest() throws IOException {
        var tensors = new LinkedHashMap<String, Shape>();
        tensors.put(TO_Q + ".lora_up.weight", Shape.of(32, 4));
        tensors.put(TO_Q + ".lora_down.weight", Shape.of(4, 32));
        for (int i = 0; i < 7; i++) {
            tensors.put("lora_unet_nowhere_" + i + ".lora_up.weight", Shape.of(2, 1));
        }
        LoadedLora lora = model.loader.load("partial", write("partial.safetensors", tensors));
        assertEquals(7, lora.unmatchedKeys().size());
        assertEquals("lora key not loaded: 7 keys of partial (lora_unet_nowhere_0.lora_up.weight, lora_unet_nowhere_1.lora_up.weight, "
                + "lora_unet_nowhere_2.lora_up.weight, lora_unet_nowhere_3.lora_up.weight, lora_unet_nowhere_4.lora_up.weight, "
                + "and 2 more)", lora.warning().orElseThrow());
    }

    @Test
    void aLoraThatUsesEveryKeyHasNoWarning() {
        assertTrue(model.load("lora/lora_a.safetensors").warning().isEmpty());
    }

    @Test
    void secondTextEncoderKeysOnSd15AreRefusedEvenWhereTheRestFits() throws IOException {
        var tensors = new LinkedHashMap<String, Shape>();
        tensors.put(TO_Q + ".lora_up.weight", Shape.of(32, 4));
        tensors.put(TO_Q + ".lora_down.weight", Shape.of(4, 32));
        tensors.put("lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", Shape.of(128, 4));
        tensors.put("lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", Shape.of(4, 32));
        TensorIndex file = write("xl.safetensors", tensors);
        var e = assertThrows(LoraMismatchException.class, () -> model.loader.load("xl", file));
        assertTrue(e.getMessage().contains("second text encoder") && e.getMessage().contains("SDXL"), e.getMessage());
    }

    @Test
    void adaptersAreAskedInComfyUisOrderWhateverOrderTheyAreGiven() throws IOException {
        List<LoraAdapter> reversed = new ArrayList<>(LoraTesting.ADAPTERS);
        java.util.Collections.reverse(reversed);
        var loader = new LoraLoader(reversed, ops, model.architecture, model.params);
        LoadedLora a = loader.load("lora_a", io.stipple.engine.testing.TestModels.open("lora/lora_a.safetensors"));
        assertEquals(model.load("lora/lora_a.safetensors").patches().keySet(), a.patches().keySet());
        var e = assertThrows(IllegalArgumentException.class, () -> new LoraLoader(List.of(), ops, model.architecture, model.params));
        assertTrue(e.getMessage().contains("no LoRA adapters"), e.getMessage());
    }

    /** A LoRA file of float32 tensors with the given shapes (values 0.01·i). */
    private TensorIndex write(String name, Map<String, Shape> tensors) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            Shape s = e.getValue();
            entries.add(new TensorEntry(new TensorInfo(e.getKey(), DType.F32, s), () -> {
                MemorySegment seg = Arena.ofAuto().allocate(s.numel() * 4);
                for (long i = 0; i < s.numel(); i++) {
                    seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, 0.01f * i);
                }
                return seg;
            }));
        }
        Path file = dir.resolve(name);
        var format = new SafetensorsFormat();
        format.write(file, entries, Map.of());
        return format.open(file);
    }
}
