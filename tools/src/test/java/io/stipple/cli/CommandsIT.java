package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, models, convert, merge and serve's refusals, run as a user runs them, with the distribution's plugins. */
class CommandsIT {
    @TempDir
    Path dir;

    @Test
    void inspectPrintsTheTinyCheckpointsTensorsAndFamily() {
        for (String model : new String[] {"sd15_tiny.safetensors", "sdxl_tiny.safetensors", "sd15_tiny.ckpt"}) {
            var r = CliRunner.run("inspect", Golden.path("models/" + model).toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("model.diffusion_model.input_blocks.0.0.weight\tF32\t[32, 4, 3, 3]"), r.out());
            assertTrue(r.out().contains(model.startsWith("sdxl") ? "model: sdxl (Stable Diffusion XL)" : "model: sd15 (Stable Diffusion 1.x)"), r.out());
        }
        var lora = CliRunner.run("inspect", "--summary", Golden.path("lora/lora_a.safetensors").toString());
        assertEquals(0, lora.exitCode());
        assertTrue(lora.out().contains("not a model Stipple can run: no Stable Diffusion UNet"), lora.out());
    }

    @Test
    void inspectOfAFileItCannotReadSaysSoAndFails() throws Exception {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        var r = CliRunner.run("inspect", junk.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("stipple inspect: junk.safetensors: "), r.err());
        var missing = CliRunner.run("inspect", dir.resolve("nope.ckpt").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void convertAndMergeWriteNewFilesAndRefuseToOverwrite() {
        Path converted = dir.resolve("tiny.safetensors");
        var c = CliRunner.run("convert", Golden.path("models/sd15_tiny.ckpt").toString(), converted.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(Files.isRegularFile(converted));
        var again = CliRunner.run("convert", Golden.path("models/sd15_tiny.ckpt").toString(), converted.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());

        Path merged = dir.resolve("merged.safetensors");
        var m = CliRunner.run("merge", "--a", converted.toString(), "--b", Golden.path("models/sd15_tiny_b.safetensors").toString(),
                "--mode", "weighted", "--ratio", "0.3", "--out", merged.toString());
        assertEquals(0, m.exitCode(), m.err());
        assertTrue(Files.isRegularFile(merged));
        var families = CliRunner.run("merge", "--a", converted.toString(), "--b", Golden.path("models/sdxl_tiny.safetensors").toString(),
                "--ratio", "0.5", "--out", dir.resolve("mix.safetensors").toString());
        assertEquals(2, families.exitCode(), families.err());
        assertTrue(Files.notExists(dir.resolve("mix.safetensors")));
    }

    @Test
    void mergingOnTheFlyGivesTheImageOfTheSavedMerge() throws Exception {
        String a = Golden.path("models/sd15_tiny.safetensors").toString();
        String b = Golden.path("models/sd15_tiny_b.safetensors").toString();
        Path merged = dir.resolve("blend.safetensors");
        // the UNet-only B: the saved merge keeps A's text encoder and VAE, as ModelMergeSimple does on the fly
        assertEquals(0, CliRunner.run("merge", "--a", a, "--b", b, "--ratio", "0.3", "--out", merged.toString()).exitCode());
        String[] common = {"--prompt", "a cat", "--seed", "3", "--steps", "3", "--width", "64", "--height", "64"};
        var onTheFly = CliRunner.run(concat(new String[] {"generate", "--model", a, "--merge-with", b, "--merge-ratio", "0.3",
            "--out", dir.resolve("fly.png").toString()}, common));
        assertEquals(0, onTheFly.exitCode(), onTheFly.err());
        var fromFile = CliRunner.run(concat(new String[] {"generate", "--model", merged.toString(), "--out", dir.resolve("file.png").toString()},
                common));
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        assertArrayEqualsPixels(dir.resolve("fly.png"), dir.resolve("file.png"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void assertArrayEqualsPixels(Path p, Path q) throws Exception {
        org.junit.jupiter.api.Assertions.assertArrayEquals(CliGoldenIT.pixels(javax.imageio.ImageIO.read(p.toFile())),
                CliGoldenIT.pixels(javax.imageio.ImageIO.read(q.toFile())));
    }

    @Test
    void modelsListsTheDistributionsFolderWithTitlesAndThePlugins() {
        var r = CliRunner.run("models");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("stipple-demo-shapes.safetensors"), r.out());
        assertTrue(r.out().contains("\n      stipple-demo-shapes\n"), "the title from the model's metadata, under its name: " + r.out());
        assertTrue(r.out().contains("samplers: ") && r.out().contains("euler_ancestral"), r.out());
    }

    @Test
    void serveRefusesCudaWithoutAGpuAndBadFlags() {
        var cuda = CliRunner.run("serve", "--backend", "cuda", "--port", "0");
        assertEquals(1, cuda.exitCode());
        assertTrue(cuda.err().startsWith("stipple serve: --backend cuda: no usable GPU: "), cuda.err());
        var bad = CliRunner.run("serve", "--backend", "tpu");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--backend: tpu (expected: one of auto, cpu, cuda, cuda-emulated)"), bad.err());
        var tokens = CliRunner.run("serve", "--port", "0", "--backend", "cpu", "--auth-tokens", dir.resolve("missing-tokens").toString());
        assertEquals(2, tokens.exitCode(), tokens.err());
        assertEquals("stipple serve: cannot read the auth tokens file " + dir.resolve("missing-tokens") + " (no such file)", tokens.err().strip());
        var unreachable = CliRunner.run("models", "--server", "127.0.0.1:1");
        assertEquals(1, unreachable.exitCode());
        assertTrue(unreachable.err().startsWith("stipple models: cannot reach the server (") && unreachable.err().contains("refused"),
                unreachable.err());
        var preload = CliRunner.run("serve", "--port", "0", "--backend", "cpu", "--preload", "nope.safetensors");
        assertEquals(2, preload.exitCode(), preload.err());
        assertTrue(preload.err().startsWith("stipple serve: --preload: nope.safetensors not found in checkpoints/"), preload.err());
    }

    @Test
    void generateOnTheEmulatedCudaBackendDrawsTheCpusImage() throws Exception {
        String[] common = {"generate", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--prompt", "a cat", "--seed", "5",
            "--steps", "3", "--width", "64", "--height", "64"};
        var cpu = CliRunner.run(concat(common, new String[] {"--backend", "cpu", "--out", dir.resolve("cpu.png").toString()}));
        assertEquals(0, cpu.exitCode(), cpu.err());
        var cuda = CliRunner.run(concat(common, new String[] {"--backend", "cuda-emulated", "--out", dir.resolve("cuda.png").toString()}));
        assertEquals(0, cuda.exitCode(), cuda.err());
        float[] a = CliGoldenIT.pixels(javax.imageio.ImageIO.read(dir.resolve("cpu.png").toFile()));
        float[] b = CliGoldenIT.pixels(javax.imageio.ImageIO.read(dir.resolve("cuda.png").toFile()));
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        // float32 on both: the images differ by rounding only (the engine goldens hold the latents to 1e-4)
        assertTrue(worst <= 1, "largest channel difference between the CPU's and the emulated CUDA backend's image: " + worst);
    }

    @Test
    void benchTimesTheBackendItIsGivenAndRefusesOneThatIsMissing() throws Exception {
        Path json = dir.resolve("bench.json");
        var r = CliRunner.run("bench", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--width", "64", "--height", "64",
                "--steps", "2", "--repeat", "2", "--backend", "cuda-emulated", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("backend: cuda-emulated, gemm: cuda-emulated sgemm"), r.out());
        String figures = Files.readString(json);
        for (String key : new String[] {"\"backend\":\"cuda-emulated\"", "\"gemm\":\"cuda-emulated sgemm\"", "\"load_seconds\":",
            "\"first_step_seconds\":", "\"step_seconds_median\":", "\"text_encode_seconds\":", "\"vae_decode_seconds\":", "\"peak_rss_bytes\":",
            "\"unet_gflops_per_step\":0.114", "\"repeat\":2"}) {
            assertTrue(figures.contains(key), key + " in " + figures);
        }
        var none = CliRunner.run("bench", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--repeat", "0");
        assertEquals(2, none.exitCode(), none.err());
        assertEquals("stipple bench: --repeat/--steps: 0/2 (expected: at least 1)", none.err().strip());
        var cuda = CliRunner.run("bench", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--backend", "cuda");
        assertEquals(2, cuda.exitCode(), cuda.err());
        assertTrue(cuda.err().startsWith("stipple bench: --backend cuda: no usable GPU: "), cuda.err());
    }

    @Test
    void generateReportsBadRequestsInOneLine() {
        var r = CliRunner.run("generate", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--width", "513",
                "--out", dir.resolve("x.png").toString());
        assertEquals(2, r.exitCode());
        assertEquals("stipple generate: width: 513 (expected: a multiple of 8)", r.err().strip());
        var notSd = CliRunner.run("generate", "--model", Golden.path("lora/lora_a.safetensors").toString(), "--prompt", "x",
                "--out", dir.resolve("y.png").toString());
        assertEquals(2, notSd.exitCode());
        assertTrue(notSd.err().startsWith("stipple generate: no Stable Diffusion UNet"), notSd.err());
        var zsnrAlone = CliRunner.run("generate", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--zsnr",
                "--out", dir.resolve("z.png").toString());
        assertEquals(2, zsnrAlone.exitCode());
        assertEquals("stipple generate: --prediction: missing with --zsnr (expected: eps or v_prediction)", zsnrAlone.err().strip());
        var vpred = CliRunner.run("generate", "--model", Golden.path("models/sd15_tiny.safetensors").toString(), "--prediction", "v_prediction",
                "--zsnr", "--steps", "2", "--width", "64", "--height", "64", "--out", dir.resolve("v.png").toString());
        assertEquals(0, vpred.exitCode(), vpred.err());
    }
}
