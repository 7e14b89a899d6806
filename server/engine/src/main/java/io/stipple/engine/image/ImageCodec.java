package io.stipple.engine.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/** Reading PNG/JPEG input images and writing JPEG previews, through ImageIO. */
public final class ImageCodec {
    /**
     * Decoding a bigger image than this (pixels) is refused before allocating it: 4096² (a 12 MP
     * phone photo fits) is 50 MB as RGB and as much again inside ImageIO while it decodes.
     */
    public static final long MAX_PIXELS = 4096L * 4096L;
    /** Smaller sides cannot hold one latent pixel (the VAE works in 8×8 blocks). */
    public static final int MIN_SIDE = 8;

    /** What an image's header says, read without decoding its pixels. */
    public record ImageHeader(String format, int width, int height) {}

    @FunctionalInterface
    private interface ReaderWork<T> {
        T apply(ImageReader reader, String format) throws IOException;
    }

    private ImageCodec() {}

    /**
     * The format and size of a PNG or JPEG from its header alone: cheap enough to check a request
     * before it is queued, so that a small file claiming a huge image is refused without decoding it.
     *
     * @throws InvalidImageException when the bytes are not a PNG or JPEG, or its size is out of bounds
     */
    public static ImageHeader probe(byte[] bytes) {
        return withReader(bytes, (reader, format) -> checked(new ImageHeader(format, reader.getWidth(0), reader.getHeight(0))));
    }

    /**
     * Decodes a PNG or JPEG to RGB (alpha dropped, as PIL's convert("RGB") does).
     *
     * @throws InvalidImageException when the bytes are not a readable PNG or JPEG, or too large or small
     * @throws OutOfMemoryError when decoding does not fit in memory, even where ImageIO wraps it
     */
    public static RgbImage decode(byte[] bytes) {
        return withReader(bytes, (reader, format) -> {
            checked(new ImageHeader(format, reader.getWidth(0), reader.getHeight(0)));
            return toRgb(reader.read(0));
        });
    }

    private static ImageHeader checked(ImageHeader h) {
        if ((long) h.width() * h.height() > MAX_PIXELS) {
            throw new InvalidImageException("image of " + h.width() + "x" + h.height()
                    + " pixels is too large (expected: at most " + MAX_PIXELS + " pixels)");
        }
        if (h.width() < MIN_SIDE || h.height() < MIN_SIDE) {
            throw new InvalidImageException("image of " + h.width() + "x" + h.height()
                    + " pixels is too small (expected: at least " + MIN_SIDE + " pixels on each side)");
        }
        return h;
    }

    private static <T> T withReader(byte[] bytes, ReaderWork<T> work) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (in == null || !readers.hasNext()) {
                throw new InvalidImageException("not a PNG or JPEG image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw new InvalidImageException("a " + format + " image (expected: PNG or JPEG)");
                }
                reader.setInput(in, true, true);
                return work.apply(reader, format);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw asInvalidImage(e);
        }
    }

    /**
     * A decoding failure as bad data, unless memory ran out somewhere beneath it: ImageIO wraps what
     * goes wrong inside its readers (an {@code IIOException} caused by an OutOfMemoryError), and
     * calling that "not a readable image" would blame a valid file for a busy server.
     */
    static RuntimeException asInvalidImage(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                throw oom;
            }
        }
        if (e instanceof InvalidImageException ie) {
            return ie;
        }
        return new InvalidImageException("not a readable PNG or JPEG image: " + e.getMessage());
    }

    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[image.width()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                row[x] = (image.red(x, y) << 16) | (image.green(x, y) << 8) | image.blue(x, y);
            }
            out.setRGB(0, y, image.width(), 1, row, 0, image.width());
        }
        return out;
    }

    public static byte[] encodeJpeg(RgbImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(toBufferedImage(image), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
