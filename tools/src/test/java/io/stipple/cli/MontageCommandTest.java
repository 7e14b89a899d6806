package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MontageCommandTest {
    @TempDir
    Path dir;

    @Test
    void oneImageEnlargedIsEveryPixelAsABlock() throws IOException {
        Path in = png("in.png", 2, 1, 0xff0000, 0x0000ff);
        var r = CliRunner.run("montage", "--scale", "3", "--out", dir.resolve("big.png").toString(), in.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("big.png (6x3)"), r.out());
        BufferedImage big = ImageIO.read(dir.resolve("big.png").toFile());
        assertEquals(6, big.getWidth());
        assertEquals(3, big.getHeight());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(x < 3 ? 0xff0000 : 0x0000ff, big.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void severalImagesFillRowsInReadingOrderWithGapsBetween() throws IOException {
        Path a = png("a.png", 1, 1, 0xff0000);
        Path b = png("b.png", 1, 1, 0x00ff00);
        Path c = png("c.png", 1, 1, 0x0000ff);
        var r = CliRunner.run("montage", "--columns", "2", "--scale", "2", "--gap", "1", "--out", dir.resolve("grid.png").toString(),
                a.toString(), b.toString(), c.toString());
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
        assertEquals(5, grid.getWidth(), "two 2-pixel cells and a gap");
        assertEquals(5, grid.getHeight(), "two rows, the second one short");
        assertEquals(0xff0000, grid.getRGB(1, 1) & 0xffffff);
        assertEquals(ImageGrid.GAP_RGB, grid.getRGB(2, 0) & 0xffffff);
        assertEquals(0x00ff00, grid.getRGB(3, 0) & 0xffffff);
        assertEquals(0x0000ff, grid.getRGB(0, 4) & 0xffffff);
        assertEquals(ImageGrid.GAP_RGB, grid.getRGB(4, 4) & 0xffffff, "the empty cell");
    }

    @Test
    void withoutColumnsTheGridIsAboutSquare() throws IOException {
        Path a = png("a.png", 1, 1, 0xffffff);
        String[] args = {"montage", "--out", dir.resolve("sq.png").toString(), a.toString(), a.toString(), a.toString(), a.toString(), a.toString()};
        assertEquals(0, CliRunner.run(args).exitCode());
        BufferedImage sq = ImageIO.read(dir.resolve("sq.png").toFile());
        assertEquals(3, sq.getWidth());
        assertEquals(2, sq.getHeight());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path small = png("small.png", 1, 1, 0);
        Path wide = png("wide.png", 2, 1, 0, 0);
        Path text = Files.writeString(dir.resolve("text.png"), "not an image");
        String out = dir.resolve("o.png").toString();
        assertError("stipple montage: " + dir.resolve("none.png") + ": no such file", "--out", out, dir.resolve("none.png").toString());
        assertError("stipple montage: " + text + ": not a PNG or JPEG image", "--out", out, text.toString());
        assertError("stipple montage: " + wide + ": 2x1 (expected: 1x1, the size of " + small + ")", "--out", out, small.toString(), wide.toString());
        assertError("stipple montage: --scale: 0 (expected: 1 to 64)", "--scale", "0", "--out", out, small.toString());
        assertError("stipple montage: --columns: 0 (expected: 1 or more)", "--columns", "0", "--out", out, small.toString());
        assertError("stipple montage: --out: o.jpg (expected: a .png file name)", "--out", "o.jpg", small.toString());
        Path big = png("big.png", 200, 200, new int[200 * 200]);
        assertError("stipple montage: the montage would be 12800x12800 (expected: at most 67108864 pixels; lower --scale)",
                "--scale", "64", "--out", out, big.toString());
        assertTrue(Files.notExists(dir.resolve("o.png")));
    }

    private void assertError(String expected, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "montage";
        System.arraycopy(args, 0, all, 1, args.length);
        var r = CliRunner.run(all);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(expected, r.err().strip());
    }

    private Path png(String name, int w, int h, int... rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            img.setRGB(i % w, i / w, rgb[i]);
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }
}
