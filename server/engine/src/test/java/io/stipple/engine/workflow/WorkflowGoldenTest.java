package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every e2e case's {@code comfyui_api_prompt} (ComfyUI's own graph) through the executor: the
 * SaveLatent latent within 1e-3 of the golden's max |value|, SaveImage's pixels within 1 per
 * channel value, the manifest's end-to-end tolerance.
 */
class WorkflowGoldenTest {

    static Stream<String> cases() throws IOException {
        try (var dirs = Files.list(Golden.path("e2e"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json"))).map(d -> d.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void comfyUiGraphGivesTheGoldenLatentAndPng(String name) {
        JsonObject manifest = Golden.manifest("e2e/" + name);
        GoldenTensors g = Golden.tensors("e2e/" + name + "/data.safetensors");
        WorkflowGraph graph = GraphParser.parse(manifest.getAsJsonObject("comfyui_api_prompt"));
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowResult result = new WorkflowExecutor(NodeRegistry.standard(), resources).run(graph, WorkflowListener.NONE);

            WorkflowOutput.Latent latent = result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent)
                    .map(WorkflowOutput.Latent.class::cast).findFirst().orElseThrow();
            assertCloseRelative(name + " samples", g.floats("samples"), latent.latent().toArray(), 1e-3);

            List<RgbImage> images = result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Images)
                    .map(WorkflowOutput.Images.class::cast).findFirst().orElseThrow().images();
            float[] png = g.floats("png");
            assertEquals(g.shape("png")[0], images.size(), name + " images");
            int per = images.get(0).rgb().length;
            for (int b = 0; b < images.size(); b++) {
                byte[] rgb = images.get(b).rgb();
                float[] actual = new float[per];
                for (int i = 0; i < per; i++) {
                    actual[i] = rgb[i] & 0xff;
                }
                assertClose(name + " png[" + b + "]", Arrays.copyOfRange(png, b * per, (b + 1) * per), actual, 1.0);
            }
        }
    }
}
