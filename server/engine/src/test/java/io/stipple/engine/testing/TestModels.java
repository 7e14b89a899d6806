package io.stipple.engine.testing;

import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens the golden tiny checkpoints with the safetensors plugin. */
public final class TestModels {
    private TestModels() {}

    /** {@code TestModels.open("models/sd15_tiny.safetensors")}. */
    public static TensorIndex open(String goldenPath) {
        try {
            return new SafetensorsFormat().open(Golden.path(goldenPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
