package io.stipple.tensor.random;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Python's {@code round(x, ndigits)} for floats: the double's exact decimal value rounded to
 * {@code ndigits} places (ties to even), read back as the nearest double. torchsde quantises the
 * times of its Brownian tree this way, and equality of the rounded times decides its structure.
 */
final class PythonRound {
    private PythonRound() {}

    static double round(double x, int ndigits) {
        if (!Double.isFinite(x) || x == 0.0) {
            return x;
        }
        // new BigDecimal(double) is exact; parseDouble rounds the decimal correctly, as Python's strtod does
        String decimal = new BigDecimal(x).setScale(ndigits, RoundingMode.HALF_EVEN).toString();
        double rounded = Double.parseDouble(decimal);
        return rounded == 0.0 ? Math.copySign(0.0, x) : rounded;
    }
}
