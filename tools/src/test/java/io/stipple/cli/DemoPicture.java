package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;

/** What the demo's picture must show: "a red circle on a blue background", 64x64. */
final class DemoPicture {
    private DemoPicture() {}

    /**
     * Red in the centre 16x16 and blue in the 4-pixel border, each for at least 95% of the pixels
     * (the model draws soft edges and a faint frame, so single pixels are not asked for).
     */
    static void assertRedShapeOnBlue(BufferedImage img) {
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        int red = 0;
        int centre = 0;
        int blue = 0;
        int border = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int p = img.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                if (x >= 24 && x < 40 && y >= 24 && y < 40) {
                    centre++;
                    red += r > Math.max(g, b) + 60 ? 1 : 0;
                }
                if (Math.min(Math.min(x, y), Math.min(63 - x, 63 - y)) < 4) {
                    border++;
                    blue += b > Math.max(r, g) + 40 ? 1 : 0;
                }
            }
        }
        assertTrue(red >= 0.95 * centre, red + " of the " + centre + " centre pixels are red");
        assertTrue(blue >= 0.95 * border, blue + " of the " + border + " pixels of the 4-pixel border are blue");
    }
}
