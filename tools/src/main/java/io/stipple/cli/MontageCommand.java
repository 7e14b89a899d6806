package io.stipple.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "montage", mixinStandardHelpOptions = true,
        description = {"Lays PNG or JPEG images of one size out in a grid, each enlarged by a whole factor (nearest neighbour).",
            "With one image: an enlarged copy (--scale 8 makes a 64x64 image 512x512)."})
final class MontageCommand implements Callable<Integer> {
    /** Beyond this the PNG would be hundreds of megabytes: surely a mistake in --scale. */
    static final long MAX_PIXELS = 64L * 1024 * 1024;
    static final int MAX_SCALE = 64;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "The images, in reading order (left to right, then down).")
    List<Path> images;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    Path out;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "1", description = "Enlarge every image N times (default: 1).")
    int scale;

    @Option(names = "--columns", paramLabel = "N", description = "Images per row (default: about the square root of their number).")
    Integer columns;

    @Option(names = "--gap", paramLabel = "PX", defaultValue = "0", description = "Dark grey pixels between images (default: 0).")
    int gap;

    @Override
    public Integer call() throws IOException {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UserError("--out: " + out + " (expected: a .png file name)");
        }
        if (scale < 1 || scale > MAX_SCALE) {
            throw new UserError("--scale: " + scale + " (expected: 1 to " + MAX_SCALE + ")");
        }
        if (columns != null && columns < 1) {
            throw new UserError("--columns: " + columns + " (expected: 1 or more)");
        }
        if (gap < 0 || gap > 1024) {
            throw new UserError("--gap: " + gap + " (expected: 0 to 1024)");
        }
        List<BufferedImage> read = new ArrayList<>();
        for (Path p : images) {
            BufferedImage img = read(p);
            BufferedImage first = read.isEmpty() ? img : read.getFirst();
            if (img.getWidth() != first.getWidth() || img.getHeight() != first.getHeight()) {
                throw new UserError(p + ": " + img.getWidth() + "x" + img.getHeight() + " (expected: " + first.getWidth() + "x"
                        + first.getHeight() + ", the size of " + images.getFirst() + ")");
            }
            read.add(img);
        }
        int cols = columns != null ? columns : (int) Math.ceil(Math.sqrt(read.size()));
        var size = ImageGrid.size(read.size(), cols, read.getFirst().getWidth(), read.getFirst().getHeight(), scale, gap);
        if (size.width() * size.height() > MAX_PIXELS) {
            throw new UserError("the montage would be " + size.width() + "x" + size.height() + " (expected: at most " + MAX_PIXELS
                    + " pixels; lower --scale)");
        }
        BufferedImage grid = ImageGrid.layout(read, cols, scale, gap);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grid, "png", png);
        AtomicFiles.write(out, png.toByteArray());
        System.out.println(out + " (" + grid.getWidth() + "x" + grid.getHeight() + ")");
        return 0;
    }

    private static BufferedImage read(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new UserError(p + ": no such file");
        }
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new UserError(p + ": not a PNG or JPEG image");
            }
            return img;
        } catch (IOException e) {
            throw new UserError(p + ": cannot read it as an image (" + e.getMessage() + ")");
        }
    }
}
