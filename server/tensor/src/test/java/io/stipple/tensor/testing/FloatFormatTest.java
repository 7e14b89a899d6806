package io.stipple.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reference codec against the JDK's float16 conversions (exhaustively) and known codes. */
class FloatFormatTest {

    @Test
    void decodesEveryFloat16CodeAsTheJdkDoes() {
        for (int code = 0; code < 1 << 16; code++) {
            float jdk = Float.float16ToFloat((short) code);
            double ours = FloatFormat.F16.decode(code);
            if (Float.isNaN(jdk)) {
                assertTrue(Double.isNaN(ours), Integer.toHexString(code));
            } else {
                assertEquals(Float.floatToIntBits(jdk), Float.floatToIntBits((float) ours), Integer.toHexString(code));
            }
        }
    }

    @Test
    void encodesFloat16AsTheJdkDoes() {
        // every float16 code, and the midpoints between neighbours (ties) and points just beside them
        for (int code = 0; code < 0x7c00; code++) {
            float v = Float.float16ToFloat((short) code);
            float next = Float.float16ToFloat((short) (code + 1));
            float mid = (float) ((v + (double) next) / 2);
            for (float x : new float[] {v, -v, mid, -mid, Math.nextUp(mid), Math.nextDown(mid)}) {
                assertEquals(Float.floatToFloat16(x) & 0xffff, FloatFormat.F16.encode(x), "encode " + x);
            }
        }
    }

    @Test
    void bfloat16KnownCodes() {
        assertEquals(0x3f80, FloatFormat.BF16.encode(1 + 0x1p-8));
        assertEquals(0x3f82, FloatFormat.BF16.encode(1 + 3 * 0x1p-8));
        assertEquals(0x7f80, FloatFormat.BF16.encode(Float.MAX_VALUE));
        assertEquals(0xff80, FloatFormat.BF16.encode(Double.NEGATIVE_INFINITY));
        assertEquals(0x8000, FloatFormat.BF16.encode(-0.0));
        assertEquals(0x7f7f, FloatFormat.BF16.encode(0x1.fep127));
        assertEquals(0x0001, FloatFormat.BF16.encode(0x1p-133));
        assertEquals(0x0000, FloatFormat.BF16.encode(0x1p-134));
        assertEquals(0x0002, FloatFormat.BF16.encode(3 * 0x1p-134));
        assertTrue(Double.isNaN(FloatFormat.BF16.decode(FloatFormat.BF16.encode(Double.NaN))));
        assertEquals(1.0, FloatFormat.BF16.decode(0x3f80));
        assertEquals(-5.0, FloatFormat.BF16.decode(0xc0a0));
    }

    @Test
    void fp8KnownCodes() {
        // OCP 8-bit floating point specification
        assertEquals(448.0, FloatFormat.F8_E4M3FN.decode(0x7e));
        assertTrue(Double.isNaN(FloatFormat.F8_E4M3FN.decode(0xff)));
        assertEquals(-0x1p-9, FloatFormat.F8_E4M3FN.decode(0x81));
        assertEquals(Double.POSITIVE_INFINITY, FloatFormat.F8_E5M2.decode(0x7c));
        assertEquals(57344.0, FloatFormat.F8_E5M2.decode(0x7b));
        assertThrows(UnsupportedOperationException.class, () -> FloatFormat.F8_E4M3FN.encode(1));
    }
}
