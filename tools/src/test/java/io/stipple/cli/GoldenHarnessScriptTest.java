package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/golden/ is the harness that regenerates testdata/golden with ComfyUI's own code. Running it
 * needs a ComfyUI tree and torch (see its README), which the suite does not have; what the suite
 * checks without them: every harness script compiles, and compare.py, the tool that says whether a
 * regenerated folder matches testdata/golden, passes an identical copy and flags a perturbed tensor,
 * a changed token, a changed pixel, a missing tensor and a changed shape (its --self-test), and
 * compares a real golden case against itself as bit-exact. compare.py is pure standard library, so
 * any python3 runs it; without one the tests are skipped with that reason.
 */
class GoldenHarnessScriptTest {
    private static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath().normalize();
    private static final Path HARNESS = REPO.resolve("tools/golden");

    @TempDir
    Path tmp;

    @Test
    void everyHarnessScriptCompiles() throws Exception {
        List<String> command = new ArrayList<>(List.of(python(), "-c",
                "import py_compile, sys\n"
                        + "for f in sys.argv[1:]:\n"
                        + "    py_compile.compile(f, cfile=f + '.check', doraise=True)\n"
                        + "print('compiled', len(sys.argv) - 1)"));
        List<Path> scripts;
        try (Stream<Path> s = Files.list(HARNESS)) {
            scripts = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
        assertTrue(scripts.size() >= 7, "harness scripts: " + scripts);
        for (String required : List.of("bootstrap.py", "tiny_models.py", "gen_rng.py", "gen_model_sampling.py",
                "gen_ksampler.py", "gen_e2e.py", "gen_clip.py", "gen_forward.py", "gen_lora_merge.py",
                "gen_lora_formats.py", "compare.py")) {
            assertTrue(Files.isRegularFile(HARNESS.resolve(required)), "tools/golden/" + required);
        }
        assertTrue(Files.isRegularFile(HARNESS.resolve("regenerate")), "tools/golden/regenerate");
        Path copy = tmp.resolve("golden");
        Files.createDirectories(copy);
        for (Path script : scripts) {
            Path c = copy.resolve(script.getFileName());
            Files.copy(script, c);
            command.add(c.toString());
        }
        Result r = run(command);
        assertEquals(0, r.exit, r.all());
        assertTrue(r.out.contains("compiled " + scripts.size()), r.all());
    }

    @Test
    void compareSelfTestFlagsEveryPerturbation() throws Exception {
        Result r = run(List.of(python(), HARNESS.resolve("compare.py").toString(), "--self-test"));
        assertEquals(0, r.exit, r.all());
        assertTrue(r.out.contains("self-test: 7 passed, 0 failed"), r.all());
        assertTrue(r.out.contains("perturbed tensor (1e-3)      passed"), r.all());
    }

    @Test
    void aGoldenCaseComparedWithItselfIsBitExactAndAChangedOneIsNot() throws Exception {
        Path golden = REPO.resolve("testdata/golden");
        Result same = run(List.of(python(), HARNESS.resolve("compare.py").toString(), golden.toString(),
                "--golden", golden.toString(), "--case", "model_sampling"));
        assertEquals(0, same.exit, same.all());
        assertTrue(same.out.contains("model_sampling: WITHIN rerun tolerance  4 tensors, 4 bit-exact"), same.all());

        // flip a mantissa bit of the last float in model_sampling/data.safetensors: the case's
        // tolerance is exact, so compare must say it is out
        Path changed = tmp.resolve("new/model_sampling");
        Files.createDirectories(changed);
        byte[] bytes = Files.readAllBytes(golden.resolve("model_sampling/data.safetensors"));
        bytes[bytes.length - 2] ^= 0x01;
        Files.write(changed.resolve("data.safetensors"), bytes);
        Result diff = run(List.of(python(), HARNESS.resolve("compare.py").toString(), tmp.resolve("new").toString(),
                "--golden", golden.toString(), "--case", "model_sampling"));
        assertEquals(1, diff.exit, diff.all());
        assertTrue(diff.out.contains("model_sampling: NOT within tolerance"), diff.all());
    }

    private record Result(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** /usr/bin/python3, else the PATH's python3; skips the test without one. */
    private static String python() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import json, struct, array")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException e) {
                // not there: try the next one
            }
        }
        Assumptions.abort("skipped: the golden harness tests need a python3 "
                + "(neither /usr/bin/python3 nor python3 on PATH)");
        return null;
    }
}
