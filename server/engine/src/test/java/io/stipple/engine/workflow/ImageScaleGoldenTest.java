package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ImageScale against ComfyUI (case image_scale): LoadImage → ImageScale → SaveImage gives the 8-bit
 * pixels ComfyUI's SaveImage writes for each method, size and crop, within 1 per channel value.
 */
class ImageScaleGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"nearest_40x24", "bilinear_40x24", "area_40x24", "bilinear_96x72_center", "area_h0_w48", "nearest_w0_h80_center"})
    void matchesComfyUi(String name) {
        JsonObject c = Golden.manifest("image_scale").getAsJsonObject("cases").getAsJsonObject(name);
        JsonObject graph = JsonParser.parseString("""
                {"1": {"class_type": "LoadImage", "inputs": {"image": "shared/golden/e2e/sd15_img2img_euler_normal_d0p6/init.png"}},
                 "2": {"class_type": "ImageScale", "inputs": {"image": ["1", 0], "upscale_method": "%s", "width": %d, "height": %d, "crop": "%s"}},
                 "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "output"}}}
                """.formatted(c.get("upscale_method").getAsString(), c.get("width").getAsInt(), c.get("height").getAsInt(),
                c.get("crop").getAsString())).getAsJsonObject();
        GoldenTensors g = Golden.tensors("image_scale/data.safetensors");
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowResult result = new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph), WorkflowListener.NONE);
            List<RgbImage> images = result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Images)
                    .map(WorkflowOutput.Images.class::cast).findFirst().orElseThrow().images();
            int[] shape = g.shape(name + "_png"); // (1, h, w, 3)
            assertEquals(shape[2], images.getFirst().width(), name + " width");
            assertEquals(shape[1], images.getFirst().height(), name + " height");
            byte[] rgb = images.getFirst().rgb();
            float[] actual = new float[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                actual[i] = rgb[i] & 0xff;
            }
            assertClose(name, g.floats(name + "_png"), actual, 1.0);
        }
    }
}
