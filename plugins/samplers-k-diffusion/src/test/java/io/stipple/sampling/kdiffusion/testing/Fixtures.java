package io.stipple.sampling.kdiffusion.testing;

import io.stipple.tensor.testing.GoldenTensors;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The small reference files made by the Python scripts beside them in the test resources. */
public final class Fixtures {
    private Fixtures() {}

    public static GoldenTensors read(String name) {
        var url = Fixtures.class.getResource("/io/stipple/sampling/kdiffusion/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return GoldenTensors.read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
