package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonReprTest {
    /** Expected strings are Python 3's str(float) of the same values. */
    @ParameterizedTest
    @CsvSource({"1e-4, 0.0001", "1e-5, 1e-05", "1.5e16, 1.5e+16", "123.0, 123.0", "1e16, 1e+16", "0.1, 0.1",
            "-2.5e-7, -2.5e-07", "1234567890123456.0, 1234567890123456.0", "0.0, 0.0", "-0.0, -0.0",
            "NaN, nan", "-Infinity, -inf", "3.0e-300, 3e-300", "470000.5, 470000.5"})
    void formatsFloatsAsPythonDoes(double value, String python) {
        assertEquals(python, PythonRepr.of(value));
    }
}
