package io.stipple.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes 8-bit RGB PNGs with text chunks: tEXt where the text is Latin-1 (as PIL writes
 * AUTOMATIC1111's "parameters"), iTXt (UTF-8) otherwise, so tools that read A1111 metadata find it.
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    private PngEncoder() {}

    public static byte[] encode(RgbImage image, Map<String, String> text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(image.rgb().length / 2 + 1024);
            out.write(SIGNATURE);
            chunk(out, "IHDR", ihdr(image));
            for (Map.Entry<String, String> e : text.entrySet()) {
                writeText(out, e.getKey(), e.getValue());
            }
            chunk(out, "IDAT", pixels(image));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ihdr(RgbImage image) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(image.width());
        d.writeInt(image.height());
        d.writeByte(8); // bit depth
        d.writeByte(2); // colour type: truecolour
        d.writeByte(0); // deflate
        d.writeByte(0); // adaptive filtering
        d.writeByte(0); // no interlace
        return b.toByteArray();
    }

    /** Scanlines with the "up" filter: cheap and better than none for photographs. */
    private static byte[] pixels(RgbImage image) throws IOException {
        int stride = image.width() * 3;
        byte[] rgb = image.rgb();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(6);
        try (DeflaterOutputStream z = new DeflaterOutputStream(b, deflater)) {
            byte[] line = new byte[stride + 1];
            for (int y = 0; y < image.height(); y++) {
                line[0] = (byte) (y == 0 ? 0 : 2);
                int row = y * stride;
                for (int i = 0; i < stride; i++) {
                    int up = y == 0 ? 0 : rgb[row - stride + i];
                    line[i + 1] = (byte) (rgb[row + i] - up);
                }
                z.write(line);
            }
        } finally {
            deflater.end();
        }
        return b.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, String key, String value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(key.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
        if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
            b.write(value.getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "tEXt", b.toByteArray());
        } else {
            b.write(new byte[] {0, 0, 0, 0}); // uncompressed, method 0, no language tag, no translated keyword
            b.write(value.getBytes(StandardCharsets.UTF_8));
            chunk(out, "iTXt", b.toByteArray());
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
