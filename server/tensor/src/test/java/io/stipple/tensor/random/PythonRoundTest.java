package io.stipple.tensor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link PythonRound} against values printed by Python 3's {@code round(x, n)}. */
class PythonRoundTest {
    @Test
    void roundsTheExactBinaryValue() {
        assertEquals(0.12, PythonRound.round(0.125, 2)); // an exact tie: to even
        assertEquals(2.67, PythonRound.round(2.675, 2)); // 2.675 is stored just below the tie
        assertEquals(0.0, PythonRound.round(5e-7, 6)); // stored just below 0.0000005
        assertEquals(3e-6, PythonRound.round(2.5e-6, 6)); // stored just above 0.0000025
        assertEquals(2e-6, PythonRound.round(1.5e-6, 6));
        assertEquals(7.350001, PythonRound.round(7.3500005, 6));
        assertEquals(123456.000001, PythonRound.round(123456.0000005, 6));
    }

    @Test
    void sigmasAsTorchsdeQuantisesThem() {
        assertEquals(14.614643, PythonRound.round(14.614643096923828, 6));
        assertEquals(0.029167, PythonRound.round(0.029167499393224716, 6));
    }

    @Test
    void keepsTheSignOfZeroAndPassesSpecialValues() {
        assertEquals(-0.0, PythonRound.round(-4e-7, 6));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(PythonRound.round(-4e-7, 6)));
        assertEquals(1e300, PythonRound.round(1e300, 6));
        assertEquals(Double.POSITIVE_INFINITY, PythonRound.round(Double.POSITIVE_INFINITY, 6));
        assertEquals(Double.NaN, PythonRound.round(Double.NaN, 6));
    }
}
