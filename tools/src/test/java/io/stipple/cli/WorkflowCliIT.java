package io.stipple.cli;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** `stipple run`: every e2e golden's ComfyUI graph, embedded, gives the golden latent and PNGs; bad graphs are refused naming the node. */
class WorkflowCliIT {
    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        return CliGoldenIT.cases();
    }

    /** The case's graph with its shared/golden/ paths made absolute, written as a workflow file. */
    private Path workflow(String name) throws IOException {
        String graph = Golden.manifest("e2e/" + name).getAsJsonObject("comfyui_api_prompt").toString()
                .replace("shared/golden/", Golden.path("").toString() + "/");
        return Files.writeString(dir.resolve(name + ".json"), graph);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void goldenGraphRuns(String name) throws IOException {
        Path out = dir.resolve("out");
        var run = CliRunner.run("run", workflow(name).toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        GoldenTensors expected = Golden.tensors("e2e/" + name + "/data.safetensors");
        GoldenTensors latent = GoldenTensors.read(out.resolve("output_00001_.latent"));
        assertCloseRelative(name + " latent", expected.floats("samples"), latent.floats("latent_tensor"), 1e-3);
        int batch = expected.shape("png")[0];
        int per = expected.shape("png")[1] * expected.shape("png")[2] * 3;
        for (int b = 0; b < batch; b++) {
            Path png = out.resolve(String.format("output_%05d_.png", b + 1));
            assertTrue(run.out().contains(png.toString()), run.out());
            float[] want = Arrays.copyOfRange(expected.floats("png"), b * per, (b + 1) * per);
            assertClose(name + " png[" + b + "]", want, CliGoldenIT.pixels(ImageIO.read(png.toFile())), 1.0);
        }
    }

    @Test
    void onAServerTheImageBesideTheWorkflowIsSentWithIt() throws Exception {
        String name = "sd15_img2img_euler_normal_d0p6";
        Path home = dir.resolve("server");
        Files.createDirectories(home.resolve("models/checkpoints"));
        Files.createSymbolicLink(home.resolve("models/checkpoints/sd15_tiny.safetensors"), Golden.path("models/sd15_tiny.safetensors"));
        // the graph names its checkpoint as the server's models folder does, and its image as a file beside it
        String graph = Golden.manifest("e2e/" + name).getAsJsonObject("comfyui_api_prompt").toString()
                .replace("shared/golden/models/", "").replace("shared/golden/e2e/" + name + "/", "");
        Path client = Files.createDirectories(dir.resolve("client"));
        Files.copy(Golden.path("e2e/" + name + "/init.png"), client.resolve("init.png"));
        Path wf = Files.writeString(client.resolve("img2img.json"), graph);
        ServerConfig config = ServerConfig.defaults(home).toBuilder().port(0).backend(Backend.CPU)
                .pluginsDir(Distribution.home().resolve("plugins")).build();
        try (StippleServer server = Main.server(config).startTcp()) {
            Path out = dir.resolve("out");
            var run = CliRunner.run("run", wf.toString(), "--server", "127.0.0.1:" + server.port(), "--out", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            GoldenTensors expected = Golden.tensors("e2e/" + name + "/data.safetensors");
            assertCloseRelative("latent", expected.floats("samples"), GoldenTensors.read(out.resolve("output_00001_.latent")).floats("latent_tensor"),
                    1e-3);
        }
    }

    @Test
    void uiFormatFileRuns() throws IOException {
        String ui = Files.readString(Golden.testdata().getParent().resolve("server/engine/src/test/resources/workflows/sd15_txt2img_ui.json"))
                .replace("shared/golden/", Golden.path("").toString() + "/");
        Path out = dir.resolve("out");
        var run = CliRunner.run("run", Files.writeString(dir.resolve("ui.json"), ui).toString(), "--out", out.toString(), "--set", "7.filename_prefix=ui");
        assertEquals(0, run.exitCode(), run.err());
        GoldenTensors expected = Golden.tensors("e2e/sd15_euler_normal_64x64/data.safetensors");
        assertCloseRelative("latent", expected.floats("samples"), GoldenTensors.read(out.resolve("output_00001_.latent")).floats("latent_tensor"), 1e-3);
        assertTrue(Files.exists(out.resolve("ui_00001_.png")), run.out());
    }

    @Test
    void setChangesAnInputAndOutputsAreNumberedOnward() throws IOException {
        Path out = dir.resolve("out");
        Path wf = workflow("sd15_euler_normal_64x64");
        assertEquals(0, CliRunner.run("run", wf.toString(), "--out", out.toString()).exitCode());
        var run = CliRunner.run("run", wf.toString(), "--out", out.toString(), "--set", "5.seed=2", "--set", "7.filename_prefix=cats/cat");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.exists(out.resolve("cats/cat_00001_.png")), run.out());
        assertTrue(Files.exists(out.resolve("output_00002_.latent")), run.out());
        assertNotEquals(Arrays.toString(Files.readAllBytes(out.resolve("output_00001_.latent"))),
                Arrays.toString(Files.readAllBytes(out.resolve("output_00002_.latent"))), "another seed, another latent");
    }

    @Test
    void badValuesUnsupportedNodesAndMissingFilesAreNamed() throws IOException {
        Path wf = workflow("sd15_euler_normal_64x64");
        var steps = CliRunner.run("run", wf.toString(), "--set", "5.steps=0", "--out", dir.toString());
        assertEquals(ErrorHandler.BAD_INPUT, steps.exitCode(), steps.err());
        assertTrue(steps.err().contains("5.inputs.steps: 0 (expected: 1 to 10000) [KSampler]"), steps.err());

        String graph = Files.readString(wf).replace("\"EmptyLatentImage\"", "\"VAEEncodeForInpaint\"");
        var refused = CliRunner.run("run", Files.writeString(dir.resolve("inpaint.json"), graph).toString(), "--out", dir.toString());
        assertEquals(ErrorHandler.BAD_INPUT, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("4: VAEEncodeForInpaint is not supported: inpainting"), refused.err());

        var missing = CliRunner.run("run", wf.toString(), "--set", "1.ckpt_name=no_such_model.safetensors", "--out", dir.toString());
        assertEquals(ErrorHandler.BAD_INPUT, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("1.inputs.ckpt_name: no_such_model.safetensors not found in checkpoints/"), missing.err());
        assertTrue(missing.err().contains("[CheckpointLoaderSimple]"), missing.err());

        var noNode = CliRunner.run("run", wf.toString(), "--set", "99.seed=1");
        assertEquals(ErrorHandler.BAD_INPUT, noNode.exitCode());
        assertTrue(noNode.err().contains("--set 99.seed=1: there is no node 99"), noNode.err());

        var ui = CliRunner.run("run", Files.writeString(dir.resolve("empty.json"), "{\"nodes\": [], \"links\": []}").toString());
        assertEquals(ErrorHandler.BAD_INPUT, ui.exitCode());
        assertTrue(ui.err().contains("Prompt has no outputs"), ui.err());
    }
}
