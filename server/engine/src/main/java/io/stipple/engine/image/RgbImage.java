package io.stipple.engine.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, rows top to bottom, 3 bytes a pixel.
 *
 * @param rgb width·height·3 bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        Objects.requireNonNull(rgb);
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " needs " + (width * height * 3)
                    + " bytes, got " + rgb.length);
        }
    }

    public int red(int x, int y) {
        return rgb[(y * width + x) * 3] & 0xff;
    }

    public int green(int x, int y) {
        return rgb[(y * width + x) * 3 + 1] & 0xff;
    }

    public int blue(int x, int y) {
        return rgb[(y * width + x) * 3 + 2] & 0xff;
    }
}
