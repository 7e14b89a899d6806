package io.stipple.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Probing and decoding input images: sizes from the header, and memory trouble never blamed on the file. */
class ImageCodecTest {
    private static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void probeReadsTheSizeWithoutDecoding() throws Exception {
        assertEquals(new ImageCodec.ImageHeader("png", 24, 16), ImageCodec.probe(png(24, 16)));
    }

    @Test
    void tooSmallAndTooLargeAreRefusedByTheHeader() throws Exception {
        var small = assertThrows(InvalidImageException.class, () -> ImageCodec.probe(png(8, 7)));
        assertEquals("image of 8x7 pixels is too small (expected: at least 8 pixels on each side)", small.getMessage());
        var decoded = assertThrows(InvalidImageException.class, () -> ImageCodec.decode(png(1, 1)));
        assertTrue(decoded.getMessage().contains("too small"), decoded.getMessage());
    }

    @Test
    void outOfMemoryInsideImageIoStaysOutOfMemory() {
        // ImageIO's readers wrap what fails beneath them; a valid image on a busy server is not "unreadable"
        var wrapped = new IIOException("Error reading PNG image data", new OutOfMemoryError("Java heap space"));
        assertThrows(OutOfMemoryError.class, () -> ImageCodec.asInvalidImage(wrapped));
        var damaged = ImageCodec.asInvalidImage(new IIOException("Unknown row filter type (= 7)!"));
        assertEquals("not a readable PNG or JPEG image: Unknown row filter type (= 7)!", damaged.getMessage());
    }
}
