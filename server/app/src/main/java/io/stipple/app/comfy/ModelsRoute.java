package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import io.stipple.app.models.ModelFile;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.engine.embeddings.EmbeddingLibrary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** GET /models (the model folders) and GET /models/{folder} (its file names), in ComfyUI's folder names. */
final class ModelsRoute {
    private final Map<String, Supplier<List<String>>> folders = new LinkedHashMap<>();

    ModelsRoute(ModelRepository models, EmbeddingLibrary embeddings) {
        folders.put("checkpoints", () -> names(models, ModelKind.CHECKPOINT));
        folders.put("loras", () -> names(models, ModelKind.LORA));
        folders.put("vae", () -> names(models, ModelKind.VAE));
        folders.put("embeddings", embeddings::names);
    }

    private static List<String> names(ModelRepository models, ModelKind kind) {
        return models.list(kind).stream().map(ModelFile::name).sorted().toList();
    }

    ComfyResponse folders() {
        JsonArray a = new JsonArray();
        folders.keySet().forEach(a::add);
        return ComfyResponse.json(a);
    }

    ComfyResponse files(String folder) {
        Supplier<List<String>> names = folders.get(folder);
        if (names == null) {
            throw ComfyException.plain(404, "no model folder " + Printable.of(folder) + " (expected: one of " + folders.keySet() + ")");
        }
        JsonArray a = new JsonArray();
        names.get().forEach(a::add);
        return ComfyResponse.json(a);
    }
}
