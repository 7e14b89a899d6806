package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.detect.ModelDetector;
import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import io.stipple.engine.model.vae.VaeConfig;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/perf/gen_checkpoint.py writes the full-size random-weight checkpoints the benchmarks run.
 * Its {@code --list} (names and shapes, no file) must be what Stipple's own detection takes for
 * full-size SD1.5 and SDXL, so that a benchmark measures the real architecture. Needs a python3 with
 * numpy (/usr/bin/python3 on the dev machines); without one the tests are skipped with that reason.
 */
class GenCheckpointScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("stipple.repo", ".."))
            .resolve("tools/perf/gen_checkpoint.py").toAbsolutePath().normalize();
    private static final Pattern LINE = Pattern.compile("(\\S+) \\[([0-9,]*)\\]");

    @TempDir
    Path tmp;

    @Test
    void theSd15LayoutIsDetectedAsFullSizeSd15() throws Exception {
        ListedSource listed = list("sd15");
        ModelArchitecture arch = ModelDetector.detect(listed);

        assertEquals(ModelFamily.SD15, arch.family());
        assertEquals(new UnetConfig(4, 4, 320, new int[] {1, 2, 4, 4}, new int[] {2, 2, 2, 2},
                new int[] {1, 1, 1, 1, 1, 1, 0, 0}, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 1,
                768, false, 0, AttentionHeads.count(8)), arch.unet());
        assertEquals(List.of(new TextEncoderConfig("clip_l", "cond_stage_model.transformer.", false, 768, 12, 12)),
                arch.textEncoders());
        assertEquals(fullSizeVae(), arch.vae());

        assertEquals(1143, listed.keys().size(), "tensors in v1-5-pruned-emaonly.safetensors");
        assertEquals(859_520_964L, listed.params("model.diffusion_model."), "SD1.5 UNet parameters");
        assertVaeDecoderParams(listed);
        assertEquals(123_060_480L, listed.params("cond_stage_model.transformer.text_model."), "CLIP-L text model parameters");
        assertEquals(Shape.of(1, 77), listed.shape("cond_stage_model.transformer.text_model.embeddings.position_ids"));
        for (String buffer : List.of("betas", "alphas_cumprod", "posterior_mean_coef2")) {
            assertEquals(Shape.of(1000), listed.shape(buffer), "DDPM schedule buffer " + buffer);
        }
    }

    @Test
    void theSdxlLayoutIsDetectedAsFullSizeSdxlBase() throws Exception {
        ListedSource listed = list("sdxl");
        ModelArchitecture arch = ModelDetector.detect(listed);

        assertEquals(ModelFamily.SDXL, arch.family());
        assertEquals(new UnetConfig(4, 4, 320, new int[] {1, 2, 4}, new int[] {2, 2, 2},
                new int[] {0, 0, 2, 2, 10, 10}, new int[] {0, 0, 0, 2, 2, 2, 10, 10, 10}, 10,
                2048, true, 2816, AttentionHeads.width(64)), arch.unet());
        assertEquals(List.of(
                new TextEncoderConfig("clip_l", "conditioner.embedders.0.transformer.", false, 768, 12, 12),
                new TextEncoderConfig("clip_g", "conditioner.embedders.1.model.", true, 1280, 32, 20)),
                arch.textEncoders());
        assertEquals(fullSizeVae(), arch.vae());

        assertEquals(2515, listed.keys().size(), "tensors in sd_xl_base_1.0.safetensors");
        assertEquals(2_567_463_684L, listed.params("model.diffusion_model."), "SDXL UNet parameters");
        assertVaeDecoderParams(listed);
        assertEquals(123_060_480L, listed.params("conditioner.embedders.0.transformer.text_model."), "CLIP-L text model parameters");
        assertEquals(694_659_841L, listed.params("conditioner.embedders.1.model."), "OpenCLIP bigG text model parameters");
        String g = "conditioner.embedders.1.model.";
        assertEquals(Shape.of(3840, 1280), listed.shape(g + "transformer.resblocks.31.attn.in_proj_weight"));
        assertEquals(Shape.of(77, 1280), listed.shape(g + "positional_embedding"));
        assertEquals(Shape.of(1280, 1280), listed.shape(g + "text_projection"));
        assertEquals(Shape.of(), listed.shape(g + "logit_scale"));
        assertEquals(Shape.of(1280, 2816), listed.shape("model.diffusion_model.label_emb.0.0.weight"));
        assertEquals(Shape.of(1280, 1280), listed.shape("model.diffusion_model.middle_block.1.proj_in.weight"),
                "SDXL's proj_in is a Linear");
        assertTrue(listed.keys().stream().noneMatch(k -> k.startsWith("betas") || k.startsWith("cond_stage_model.")),
                "SDXL base stores no schedule buffers and no SD1 text encoder");
    }

    @Test
    void anUnknownFamilyIsRefusedWithTheChoices() throws Exception {
        Result r = run("--family", "sd3", "--list");
        assertEquals(2, r.exitCode(), r.stderr());
        // argparse quotes the choices differently across Python versions
        assertTrue(r.stderr().contains("--family: invalid choice: 'sd3'") && r.stderr().contains("sd15")
                && r.stderr().contains("sdxl"), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void withoutAnOutputFileOrListItSaysWhatToGive() throws Exception {
        Result r = run("--family", "sdxl");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("give OUT.safetensors, --list or --check-keys"), r.stderr());
    }

    @Test
    void theListedSourceHasNoData() throws Exception {
        ListedSource listed = list("sd15");
        var e = assertThrows(UnsupportedOperationException.class, () -> listed.find("model.diffusion_model.out.2.weight"));
        assertTrue(e.getMessage().contains("model.diffusion_model.out.2.weight"), e.getMessage());
    }

    private static VaeConfig fullSizeVae() {
        return new VaeConfig(128, new int[] {1, 2, 4, 4}, 2, 4, 4, 3);
    }

    private static void assertVaeDecoderParams(ListedSource listed) {
        assertEquals(49_490_199L, listed.params("first_stage_model.decoder.") + listed.params("first_stage_model.post_quant_conv."),
                "VAE decoder + post_quant_conv parameters");
    }

    private ListedSource list(String family) throws Exception {
        Result r = run("--family", family, "--list");
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "--list line: '" + line + "' (expected: name [d0,d1,...])");
            int[] dims = m.group(2).isEmpty() ? new int[0]
                    : List.of(m.group(2).split(",")).stream().mapToInt(Integer::parseInt).toArray();
            // detection reads names and shapes only; F16 is what the generator writes by default
            TensorInfo previous = infos.put(m.group(1), new TensorInfo(m.group(1), DType.F16, Shape.of(dims)));
            assertEquals(null, previous, "tensor listed twice: " + m.group(1));
        }
        return new ListedSource(infos);
    }

    private Result run(String... args) throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), "the generator is missing: " + SCRIPT);
        List<String> command = new ArrayList<>(List.of(python(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** The first of /usr/bin/python3 and the PATH's python3 that imports numpy; skips the test without one. */
    private static String python() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException notInstalled) {
                // try the next one
            }
        }
        Assumptions.abort("skipped: tools/perf/gen_checkpoint.py needs a python3 with numpy "
                + "(neither /usr/bin/python3 nor the PATH's python3 imports numpy)");
        return null;
    }

    /** Names and shapes from {@code --list}; there is no data behind them. */
    private record ListedSource(Map<String, TensorInfo> infos) implements ParameterSource {
        @Override
        public Optional<Tensor> find(String key) {
            throw new UnsupportedOperationException("no data for " + key + ": this source is built from gen_checkpoint.py --list");
        }

        @Override
        public Optional<TensorInfo> info(String key) {
            return Optional.ofNullable(infos.get(key));
        }

        @Override
        public List<String> keys() {
            return List.copyOf(infos.keySet());
        }

        Shape shape(String key) {
            return info(key).orElseThrow(() -> new AssertionError("not listed: " + key)).shape();
        }

        /** Parameters under a prefix; position_ids are indices, not parameters. */
        long params(String prefix) {
            return infos.values().stream().filter(i -> i.name().startsWith(prefix) && !i.name().endsWith("position_ids"))
                    .mapToLong(i -> i.shape().numel()).sum();
        }
    }
}
