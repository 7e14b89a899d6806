package io.stipple.engine.lora;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.testing.GoldenTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small LoRA files of src/test/resources/lora-fixtures and the weights ComfyUI's formulas give
 * for them (made by make_fixtures.py there).
 */
final class LoraFixtures {
    private static final Path DIR = dir();

    private LoraFixtures() {}

    /** One fixture: its model, LoRA file, strengths, and what it patches and leaves unmatched. */
    record Case(String name, String model, String lora, double strengthModel, double strengthClip, List<String> patched,
            List<String> unmatched) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        JsonObject cases = manifest().getAsJsonObject("cases");
        List<Case> out = new ArrayList<>();
        for (var e : cases.entrySet()) {
            JsonObject c = e.getValue().getAsJsonObject();
            out.add(new Case(e.getKey(), c.get("model").getAsString(), c.get("lora").getAsString(),
                    c.get("strength_model").getAsDouble(), c.get("strength_clip").getAsDouble(), strings(c, "patched"),
                    strings(c, "unmatched")));
        }
        return out;
    }

    static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static GoldenTensors expected() {
        return GoldenTensors.read(DIR.resolve("expected.safetensors"));
    }

    static TensorIndex open(String file) {
        try {
            return new SafetensorsFormat().open(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject manifest() {
        try {
            return JsonParser.parseString(Files.readString(DIR.resolve("expected.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonObject o, String name) {
        List<String> out = new ArrayList<>();
        o.getAsJsonArray(name).forEach(v -> out.add(v.getAsString()));
        return out;
    }

    private static Path dir() {
        try {
            return Path.of(LoraFixtures.class.getResource("/lora-fixtures/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
