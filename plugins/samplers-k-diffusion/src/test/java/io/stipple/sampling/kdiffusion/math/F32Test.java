package io.stipple.sampling.kdiffusion.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class F32Test {

    @Test
    void lerpIsExactAtItsEndsAndFromTheNearerEnd() {
        assertEquals(2f, F32.lerp(2f, 7f, 0f));
        assertEquals(7f, F32.lerp(2f, 7f, 1f));
        assertEquals(4.5f, F32.lerp(2f, 7f, 0.5f));
        assertEquals(7f - (7f - 2f) * (1f - 0.75f), F32.lerp(2f, 7f, 0.75f));
    }

    @Test
    void powSquaresAndRootsExactly() {
        float x = 1.1f;
        assertEquals(x * x, F32.pow(x, 2.0));
        assertEquals((float) Math.sqrt(x), F32.pow(x, 0.5));
        assertEquals((float) Math.pow(x, 7.0), F32.pow(x, 7.0));
    }

    @Test
    void roundsEachFunctionOnceToFloat() {
        float x = 0.3f;
        assertEquals((float) Math.exp(x), F32.exp(x));
        assertEquals((float) Math.log(x), F32.log(x));
        assertEquals((float) Math.expm1(-x), F32.expm1(-x));
        assertEquals((float) Math.tan(x), F32.tan(x));
    }
}
