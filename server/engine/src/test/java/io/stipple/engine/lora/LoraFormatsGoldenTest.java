package io.stipple.engine.lora;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.engine.conditioning.EncodedPrompt;
import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Target;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ComfyUI's LoraLoader with a LoRA file of each format (testdata/golden/lora_formats: LoHa with
 * Tucker, LoKr, LoCon Tucker, DoRA, diffusers/PEFT names, other key spellings, whole-tensor diffs,
 * OFT, BOFT and GLoRA, two SDXL files) and two stacks, through the server's path: LoraLoader reads
 * each file against the model, PatchedParameters applies them with the manifest's strengths and
 * ModelLoader builds the networks on the overlay. Compared: every weight ComfyUI patched, the UNet's
 * output and the text encoding (and SDXL's pooled output).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraFormatsGoldenTest {
    /**
     * Patched weights: a few float32 roundings apart. ComfyUI's own rerun moved nothing (manifest
     * tolerance 0); Stipple sums the factor products in another order, and OFT solves its Cayley
     * transform with another algorithm than LAPACK.
     */
    private static final double WEIGHT_TOLERANCE = 1e-6;
    /** A network forward on patched weights: the golden README's tolerance for single forwards. */
    private static final double FORWARD_TOLERANCE = 1e-4;

    private final Ops ops = TestBackend.ops();
    private final GoldenTensors g = Golden.tensors("lora_formats/data.safetensors");
    private final JsonObject manifest = Golden.manifest("lora_formats");
    private final Map<String, LoraTesting> models = new HashMap<>();
    private final Map<String, LoadedLora> files = new HashMap<>();

    /** One LoRA of a case: its format's file and the strengths ComfyUI applied it with. */
    private record Use(String format, double strengthModel, double strengthClip) {}

    @BeforeAll
    void open() {
        models.put("sd15_tiny", new LoraTesting("models/sd15_tiny.safetensors", ops));
        models.put("sdxl_tiny", new LoraTesting("models/sdxl_tiny.safetensors", ops));
    }

    @AfterAll
    void close() {
        files.values().forEach(LoadedLora::close);
        models.values().forEach(LoraTesting::close);
    }

    /** Every format and stack by its tag. */
    Stream<String> cases() {
        List<String> tags = new ArrayList<>(manifest.getAsJsonObject("formats").keySet());
        tags.addAll(manifest.getAsJsonObject("stacks").keySet());
        return tags.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyKeyIsUsedAndPatchesTheWeightsComfyUiPatched(String tag) {
        LoraTesting model = model(tag);
        Set<String> expected = new TreeSet<>();
        for (Use use : uses(tag)) {
            LoadedLora lora = lora(use.format());
            // ComfyUI read and applied every key of these files: it logged no "lora key not loaded", no ERROR
            for (String log : List.of("load_lora_messages", "apply_messages")) {
                assertEquals(0, format(use.format()).getAsJsonArray(log).size(), use.format() + ": ComfyUI's " + log);
            }
            assertEquals(List.of(), lora.unmatchedKeys(), use.format() + ": keys Stipple did not use");
            for (JsonElement k : format(use.format()).getAsJsonArray("patched_keys")) {
                expected.add(checkpointTarget(model, k.getAsString()).weight());
            }
        }
        Set<String> patched = uses(tag).stream().flatMap(u -> lora(u.format()).patches().keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, patched, tag + ": the weights patched");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchedWeightsMatchComfyUi(String tag) {
        LoraTesting model = model(tag);
        PatchedParameters weights = patched(tag);
        String prefix = prefix(tag) + tag + "/";
        int checked = 0;
        for (String name : new TreeSet<>(g.names())) {
            if (!name.startsWith(prefix + "unet/") && !name.startsWith(prefix + "clip/")) {
                continue;
            }
            String comfy = name.substring(name.indexOf('/', prefix.length()) + 1);
            Target target = checkpointTarget(model, comfy);
            Tensor w = weights.get(target.weight());
            if (target.slice() != null) {
                w = ops.narrow(w, target.slice().dim(), target.slice().start(), target.slice().length());
            }
            assertEquals(Shape.of(g.shape(name)), w.shape(), name);
            assertCloseRelative(name, g.floats(name), w.toArray(), WEIGHT_TOLERANCE);
            checked++;
        }
        int expected = uses(tag).stream().flatMap(u -> format(u.format()).getAsJsonArray("patched_keys").asList().stream())
                .map(JsonElement::getAsString).collect(Collectors.toSet()).size();
        assertEquals(expected, checked, tag + ": patched weights compared");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchedUnetMatchesComfyUi(String tag) {
        StableDiffusionModel sd = ModelLoader.load(tag, patched(tag), ops);
        String p = prefix(tag);
        Tensor y = p.isEmpty() ? null : tensor(p + "y");
        Tensor eps = sd.unet().forward(tensor(p + "x"), g.floats(p + "timesteps"), tensor(p + "context"), y);
        assertCloseRelative(p + tag + "/eps", g.floats(p + tag + "/eps"), eps.toArray(), FORWARD_TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchedTextEncoderMatchesComfyUi(String tag) {
        StableDiffusionModel sd = ModelLoader.load(tag, patched(tag), ops);
        String p = prefix(tag);
        String prompt = manifest.getAsJsonObject("prompts").get(p.isEmpty() ? "sd15" : "sdxl").getAsString();
        EncodedPrompt e = sd.textEncoder().encode(prompt, 0);
        assertCloseRelative(p + tag + "/cond", g.floats(p + tag + "/cond"), e.context().toArray(), FORWARD_TOLERANCE);
        if (!p.isEmpty()) {
            assertCloseRelative(p + tag + "/pooled", g.floats(p + tag + "/pooled"), e.pooled().toArray(), FORWARD_TOLERANCE);
        }
    }

    private PatchedParameters patched(String tag) {
        List<AppliedLora> applied = new ArrayList<>();
        for (Use use : uses(tag)) {
            applied.add(new AppliedLora(lora(use.format()), use.strengthModel(), use.strengthClip()));
        }
        return new PatchedParameters(model(tag).params, applied);
    }

    private List<Use> uses(String tag) {
        JsonObject formats = manifest.getAsJsonObject("formats");
        if (formats.has(tag)) {
            JsonObject f = formats.getAsJsonObject(tag);
            return List.of(new Use(tag, f.get("strength_model").getAsDouble(), f.get("strength_clip").getAsDouble()));
        }
        List<Use> out = new ArrayList<>();
        for (JsonElement e : manifest.getAsJsonObject("stacks").getAsJsonArray(tag)) {
            JsonObject o = e.getAsJsonObject();
            out.add(new Use(o.get("format").getAsString(), o.get("strength_model").getAsDouble(), o.get("strength_clip").getAsDouble()));
        }
        return out;
    }

    private JsonObject format(String format) {
        return manifest.getAsJsonObject("formats").getAsJsonObject(format);
    }

    /** The model of a case: its first LoRA's. */
    private LoraTesting model(String tag) {
        return models.get(format(uses(tag).getFirst().format()).get("model").getAsString());
    }

    /** SDXL tensors are stored under "sdxl/". */
    private String prefix(String tag) {
        return model(tag) == models.get("sdxl_tiny") ? "sdxl/" : "";
    }

    private LoadedLora lora(String format) {
        LoraTesting model = models.get(format(format).get("model").getAsString());
        return files.computeIfAbsent(format, f -> model.load("lora_formats/" + format(f).get("file").getAsString()));
    }

    /** ComfyUI's internal weight name -> the checkpoint weight (and rows) it is. */
    private static Target checkpointTarget(LoraTesting model, String comfy) {
        String unet = "diffusion_model.";
        if (comfy.startsWith(unet)) {
            return new Target(model.architecture.unetPrefix() + comfy.substring(unet.length()), Component.UNET);
        }
        Map<String, Target> clip = new HashMap<>();
        for (TextEncoderConfig e : model.architecture.textEncoders()) {
            clip.putAll(ClipWeightNames.of(e, model.params));
        }
        if (comfy.endsWith(".bias")) {
            Target weight = clip.get(comfy.substring(0, comfy.length() - ".bias".length()) + ".weight");
            assertTrue(weight != null, "no checkpoint weight for " + comfy);
            return weight.bias().orElseThrow();
        }
        Target t = clip.get(comfy);
        assertTrue(t != null, "no checkpoint weight for " + comfy);
        return t;
    }

    private Tensor tensor(String name) {
        return ops.fromArray(g.floats(name), Shape.of(g.shape(name)));
    }
}
