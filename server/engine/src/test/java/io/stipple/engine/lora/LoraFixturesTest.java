package io.stipple.engine.lora;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Ops;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LoHa, LoKr, diffusers/PEFT spellings, DoRA, LoCon with a Tucker mid, whole-tensor diffs and an SDXL
 * kohya LoRA (both text encoders, bigG's q/k/v inside in_proj_weight), each patched as ComfyUI's
 * formulas patch it (lora-fixtures/make_fixtures.py).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraFixturesTest {
    private final Ops ops = new CpuOps();
    private final GoldenTensors expected = LoraFixtures.expected();
    private final Map<String, LoraTesting> models = new ConcurrentHashMap<>();

    @AfterAll
    void close() {
        models.values().forEach(LoraTesting::close);
    }

    private LoraTesting model(String file) {
        return models.computeIfAbsent(file, f -> new LoraTesting(f, ops));
    }

    Stream<LoraFixtures.Case> patchingCases() {
        return LoraFixtures.cases().stream().filter(c -> !c.patched().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("patchingCases")
    void patchedWeightsMatchComfyUisFormulas(LoraFixtures.Case c) {
        LoraTesting model = model(c.model());
        LoadedLora lora = model.loader.load(c.lora(), LoraFixtures.open(c.lora()));
        var patched = new PatchedParameters(model.params, List.of(new AppliedLora(lora, c.strengthModel(), c.strengthClip())));
        TreeSet<String> actuallyPatched = new TreeSet<>();
        for (String key : model.params.keys()) {
            if (patched.isPatched(key)) {
                actuallyPatched.add(key);
            }
        }
        assertEquals(new TreeSet<>(c.patched()), actuallyPatched, "weights patched by " + c.name());
        for (String key : c.patched()) {
            String name = c.name() + "/" + key;
            // one or two float32 matrix products, then a multiply-add per element: summation order only
            assertCloseRelative(name, expected.floats(name), patched.get(key).toArray(), 1e-6);
        }
        assertEquals(c.unmatched(), lora.unmatchedKeys(), "keys of " + c.name() + " that patch nothing");
    }

    @Test
    void keysThatPatchNothingAreReportedAsComfyUiLogsThem() {
        LoraFixtures.Case c = LoraFixtures.named("peft");
        LoadedLora lora = model(c.model()).loader.load(c.lora(), LoraFixtures.open(c.lora()));
        String warning = lora.warning().orElseThrow();
        assertTrue(warning.startsWith("lora key not loaded: 2 keys of peft.safetensors ("), warning);
        assertTrue(warning.contains("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight"), warning);
    }

    @Test
    void aLoraWhoseKeysNameNothingIsRefused() {
        LoraFixtures.Case c = LoraFixtures.named("unknown");
        var e = assertThrows(LoraMismatchException.class,
                () -> model(c.model()).loader.load(c.lora(), LoraFixtures.open(c.lora())));
        assertTrue(e.getMessage().contains("none of its 2 keys") && e.getMessage().contains("lora_transformer_single_blocks_0_linear1")
                && e.getMessage().contains("another model family"), e.getMessage());
    }

    @Test
    void anSdxlLoraOnSd15IsRefused() {
        var e = assertThrows(LoraMismatchException.class,
                () -> model("models/sd15_tiny.safetensors").loader.load("sdxl.safetensors", LoraFixtures.open("sdxl.safetensors")));
        assertTrue(e.getMessage().contains("second text encoder") && e.getMessage().contains("Stable Diffusion 1.x")
                && e.getMessage().contains("another model family"), e.getMessage());
    }

    @Test
    void anSd15LoraOnSdxlIsRefused() {
        // the tiny SD1.5 cross-attends to 32-wide text, the tiny SDXL to 64-wide
        var e = assertThrows(LoraMismatchException.class,
                () -> model("models/sdxl_tiny.safetensors").loader.load("loha.safetensors", LoraFixtures.open("loha.safetensors")));
        assertTrue(e.getMessage().contains("Stable Diffusion XL")
                && e.getMessage().contains("lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k")
                && e.getMessage().contains("[64, 32]") && e.getMessage().contains("[64, 64]")
                && e.getMessage().contains("another model family"), e.getMessage());
    }
}
