package io.stipple.tensor.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference data of {@code testdata/golden/} (ComfyUI's outputs on tiny random-weight models;
 * see its README). Tests find the folder by walking up from the module directory.
 */
public final class Golden {
    private Golden() {}

    /** The {@code testdata} folder at the repository root. */
    public static Path testdata() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata/golden");
            if (Files.isDirectory(candidate)) {
                return dir.resolve("testdata");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/golden not found above " + Path.of("").toAbsolutePath());
    }

    public static Path path(String relative) {
        return testdata().resolve("golden").resolve(relative);
    }

    /** A case's tensors: {@code Golden.tensors("rng/data.safetensors")}. */
    public static GoldenTensors tensors(String relative) {
        return GoldenTensors.read(path(relative));
    }

    public static JsonObject manifest(String caseName) {
        try {
            return JsonParser.parseString(Files.readString(path(caseName).resolve("manifest.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
