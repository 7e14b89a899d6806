package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/demo's picture, drawn the way the script draws it (the settings of tools/demo.args, the
 * first prompt of tools/demo-prompts.txt, the distribution's default model by name, no size), but
 * embedded instead of over a server, and the README that shows it.
 */
class DemoIT {
    private static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theDemoDrawsARedShapeOnABlueBackgroundAtTheModelsOwnSize() throws IOException {
        var run = draw(dir.resolve("demo.png"));
        assertTrue(run.err().contains("drew \"a red circle on a blue background\", 64x64, seed 42 (sd15) in "), run.err());
        DemoPicture.assertRedShapeOnBlue(ImageIO.read(dir.resolve("demo.png").toFile()));
    }

    @Test
    void theReadmesPictureIsTheDemosEnlargedEightTimes() throws IOException {
        assertEquals(0, draw(dir.resolve("demo.png")).exitCode());
        var montage = CliRunner.run("montage", "--scale", "8", "--out", dir.resolve("demo-x8.png").toString(), dir.resolve("demo.png").toString());
        assertEquals(0, montage.exitCode(), montage.err());
        BufferedImage expected = ImageIO.read(REPO.resolve("docs/demo.png").toFile());
        BufferedImage actual = ImageIO.read(dir.resolve("demo-x8.png").toFile());
        assertEquals(512, expected.getWidth());
        assertEquals(512, expected.getHeight());
        // the CLI draws ComfyUI's pixels within ±1, so a picture drawn on another machine is within ±2 of this one
        io.stipple.tensor.testing.TensorAssert.assertClose("docs/demo.png", CliGoldenIT.pixels(expected), CliGoldenIT.pixels(actual), 2.0);
    }

    @Test
    void theReadmesFirstScreenShowsThePictureAndTheReadmeListsTheGalleryPrompts() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String firstScreen = readme.substring(0, readme.indexOf("\n## "));
        assertTrue(firstScreen.contains("tools/demo") && firstScreen.contains("docs/demo.png"), firstScreen);
        for (String prompt : prompts()) {
            assertTrue(readme.contains("`" + prompt + "`"), "the README lists the sample prompt " + prompt);
        }
    }

    private static CliRunner.Run draw(Path out) {
        var run = CliRunner.run("generate", "@" + REPO.resolve("tools/demo.args"), "--prompt", prompts().getFirst(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    static List<String> prompts() {
        try {
            return Files.readAllLines(REPO.resolve("tools/demo-prompts.txt")).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
