package io.stipple.engine.image;

/** Fitting an image to a size: bilinear scaling, centre crops. */
public final class Resize {
    private Resize() {}

    /** How an image is fitted to a size of another aspect ratio. */
    public enum Mode {
        /** Scale to cover the target, then crop the centre (AUTOMATIC1111's "crop and resize"). */
        CROP,
        /** Scale each axis independently ("just resize"). */
        STRETCH
    }

    public static RgbImage fit(RgbImage image, int width, int height, Mode mode) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        if (mode == Mode.STRETCH) {
            return bilinear(image, width, height);
        }
        double scale = Math.max((double) width / image.width(), (double) height / image.height());
        int sw = Math.max(width, (int) Math.round(image.width() * scale));
        int sh = Math.max(height, (int) Math.round(image.height() * scale));
        RgbImage scaled = bilinear(image, sw, sh);
        return crop(scaled, (sw - width) / 2, (sh - height) / 2, width, height);
    }

    /** ComfyUI's VAEEncode crop: to a multiple of {@code multiple} on each side, centred (offset (size % m) / 2). */
    public static RgbImage cropToMultiple(RgbImage image, int multiple) {
        int w = image.width() / multiple * multiple;
        int h = image.height() / multiple * multiple;
        if (w == image.width() && h == image.height()) {
            return image;
        }
        return crop(image, (image.width() % multiple) / 2, (image.height() % multiple) / 2, w, h);
    }

    public static RgbImage crop(RgbImage image, int x0, int y0, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.rgb(), ((y0 + y) * image.width() + x0) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    /** Bilinear resampling with pixel centres aligned (half-pixel offsets), as PIL and torch do. */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        byte[] src = image.rgb();
        byte[] out = new byte[width * height * 3];
        double sx = (double) image.width() / width;
        double sy = (double) image.height() / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, image.height() - 1);
            int y1 = Math.min(y0 + 1, image.height() - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, image.width() - 1);
                int x1 = Math.min(x0 + 1, image.width() - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double a = src[(y0 * image.width() + x0) * 3 + c] & 0xff;
                    double b = src[(y0 * image.width() + x1) * 3 + c] & 0xff;
                    double d = src[(y1 * image.width() + x0) * 3 + c] & 0xff;
                    double e = src[(y1 * image.width() + x1) * 3 + c] & 0xff;
                    double v = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
                    out[(y * width + x) * 3 + c] = (byte) Math.min(255, Math.max(0, Math.round(v)));
                }
            }
        }
        return new RgbImage(width, height, out);
    }
}
