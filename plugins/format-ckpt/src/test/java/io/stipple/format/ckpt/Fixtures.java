package io.stipple.format.ckpt;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The torch-made fixtures in src/test/resources/fixtures (see make_fixtures.py there). */
final class Fixtures {
    private Fixtures() {}

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** expected.json: per file, {"tensors": [{name, dtype, shape, hex}], "metadata": {...}}. */
    static JsonObject expected() {
        try {
            return JsonParser.parseString(Files.readString(dir().resolve("expected.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
