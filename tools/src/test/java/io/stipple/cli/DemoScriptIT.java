package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command itself, tools/demo (with --no-build: the distribution is already built
 * when the integration tests run), its server and gallery: what it leaves in its folder and prints.
 */
class DemoScriptIT {
    private static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath();

    @TempDir
    Path out;

    @Test
    void theDemoLeavesARedShapeOnBlueItsEnlargedCopyAndTheGallery() throws Exception {
        Path logFile = out.resolve("demo.log");
        Process p = new ProcessBuilder(REPO.resolve("tools/demo").toString(), "--no-build", "--gallery", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            // the script's trap stops its server when the script is killed; its other children too
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("tools/demo did not finish in 300 s:\n" + Files.readString(logFile));
        }
        String log = Files.readString(logFile);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("drew \"a red circle on a blue background\", 64x64, seed 42 (sd15) in "), log);
        assertTrue(log.contains("stipple-demo-shapes.safetensors"), "the server lists its models: " + log);

        BufferedImage demo = ImageIO.read(out.resolve("demo.png").toFile());
        DemoPicture.assertRedShapeOnBlue(demo);
        BufferedImage big = ImageIO.read(out.resolve("demo-x8.png").toFile());
        assertEquals(512, big.getWidth());
        assertEquals(demo.getRGB(37, 5), big.getRGB(37 * 8 + 7, 5 * 8), "8x8 blocks of the picture's pixels");

        int prompts = DemoIT.prompts().size();
        BufferedImage gallery = ImageIO.read(out.resolve("gallery.png").toFile());
        int rows = (prompts + 3) / 4;
        assertEquals(4 * 256 + 3 * 8, gallery.getWidth(), "four 64x64 images enlarged 4 times per row, 8 pixels apart");
        assertEquals(rows * 256 + (rows - 1) * 8, gallery.getHeight());
        assertEquals(demo.getRGB(0, 0), gallery.getRGB(0, 0), "the demo's prompt comes first");
    }

    @Test
    void anUnknownOptionIsOneLineAndExitTwo() throws Exception {
        Process p = new ProcessBuilder(REPO.resolve("tools/demo").toString(), "--colour").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), log);
        assertEquals("tools/demo: unknown option --colour (expected: --gallery, --out DIR, --no-build or --help)", log.strip());
    }
}
