package io.stipple.cli;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Lays images of one size out in rows, each enlarged by a whole factor with nearest-neighbour
 * sampling, so that a 64x64 image shows its real pixels as crisp blocks instead of a blur.
 */
final class ImageGrid {
    /** The colour between cells: dark grey, which none of the demo model's eight colours is. */
    static final int GAP_RGB = 0x202020;

    private ImageGrid() {}

    /** The grid's size in pixels, as longs: MontageCommand refuses a size too large before drawing. */
    record Size(long width, long height) {}

    /**
     * @param columns cells per row (the last row may be shorter)
     * @param gap pixels between cells, in the enlarged image
     */
    static Size size(int count, int columns, int width, int height, int scale, int gap) {
        int cols = Math.min(columns, count);
        int rows = (count + cols - 1) / cols;
        return new Size((long) cols * width * scale + (long) (cols - 1) * gap, (long) rows * height * scale + (long) (rows - 1) * gap);
    }

    /** The images (all of the first one's size) laid out as {@link #size} says. */
    static BufferedImage layout(List<BufferedImage> images, int columns, int scale, int gap) {
        int cellW = images.getFirst().getWidth() * scale;
        int cellH = images.getFirst().getHeight() * scale;
        int cols = Math.min(columns, images.size());
        Size size = size(images.size(), columns, images.getFirst().getWidth(), images.getFirst().getHeight(), scale, gap);
        BufferedImage out = new BufferedImage(Math.toIntExact(size.width()), Math.toIntExact(size.height()), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, GAP_RGB);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            draw(images.get(i), scale, out, (i % cols) * (cellW + gap), (i / cols) * (cellH + gap));
        }
        return out;
    }

    private static void draw(BufferedImage image, int scale, BufferedImage out, int left, int top) {
        for (int y = 0; y < image.getHeight() * scale; y++) {
            for (int x = 0; x < image.getWidth() * scale; x++) {
                out.setRGB(left + x, top + y, image.getRGB(x / scale, y / scale) & 0xffffff);
            }
        }
    }
}
