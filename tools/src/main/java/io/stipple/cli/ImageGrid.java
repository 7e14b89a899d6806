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

    /**
     * @param columns cells per row (the last row may be shorter)
     * @param gap pixels between cells, in the enlarged image
     */
    static BufferedImage layout(List<BufferedImage> images, int columns, int scale, int gap) {
        int cellW = images.getFirst().getWidth() * scale;
        int cellH = images.getFirst().getHeight() * scale;
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * cellW + (cols - 1) * gap, rows * cellH + (rows - 1) * gap, BufferedImage.TYPE_INT_RGB);
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
