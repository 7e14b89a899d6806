package io.stipple.tensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The shared conversion and broadcasting rules at their edges. */
class FloatFormatsTest {

    @Test
    void bfloat16RoundsToNearestEven() {
        // 1 + 2^-8 lies halfway between bfloat16's 1 and 1 + 2^-7: ties go to the even 1
        assertEquals(1f, FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(1 + 0x1p-8f)));
        // 1 + 3·2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: ties go to the even 1 + 2^-6
        assertEquals(1 + 0x1p-6f, FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(1 + 3 * 0x1p-8f)));
        assertEquals(1 + 0x1p-7f, FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(1 + 0x1p-8f + 0x1p-20f)));
    }

    @Test
    void bfloat16KeepsANanQuiet() {
        float signalling = Float.intBitsToFloat(0x7f800001);
        short b = FloatFormats.floatToBf16(signalling);
        assertTrue(Float.isNaN(FloatFormats.bf16ToFloat(b)));
        assertEquals(0x40, b & 0x40);
    }

    @Test
    void float16RoundTrips() {
        assertEquals(65504f, FloatFormats.f16ToFloat(FloatFormats.floatToF16(65504f)));
        assertEquals(Float.POSITIVE_INFINITY, FloatFormats.f16ToFloat(FloatFormats.floatToF16(65520f)));
    }

    @Test
    void fp8Formats() {
        assertEquals(448f, FloatFormats.e4m3ToFloat((byte) 0x7e)); // e4m3fn's largest
        assertTrue(Float.isNaN(FloatFormats.e4m3ToFloat((byte) 0x7f)));
        assertEquals(-0f, FloatFormats.e4m3ToFloat((byte) 0x80));
        assertEquals(0x1p-9f, FloatFormats.e4m3ToFloat((byte) 0x01)); // smallest subnormal
        assertEquals(57344f, FloatFormats.e5m2ToFloat((byte) 0x7b)); // e5m2's largest finite
        assertEquals(Float.POSITIVE_INFINITY, FloatFormats.e5m2ToFloat((byte) 0x7c));
    }

    @Test
    void broadcastStridesAreZeroAlongBroadcastAxes() {
        assertEquals(Shape.of(2, 3, 4), Broadcast.shape(Shape.of(3, 1), Shape.of(2, 1, 4)));
        assertEquals(java.util.List.of(0, 1, 0), java.util.Arrays.stream(Broadcast.strides(Shape.of(3, 1), new int[] {2, 3, 4}))
                .boxed().toList());
    }
}
