package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBigInt;
import io.stipple.format.ckpt.PyValue.PyInt;
import java.math.BigInteger;

/** LONG1/LONG4 operands: little-endian two's complement of any length (the pickle's own bounds apply). */
final class Longs {
    private Longs() {}

    static PyValue decode(byte[] le) {
        if (le.length == 0) {
            return PyInt.of(0);
        }
        if (le.length <= 8) {
            long v = le[le.length - 1]; // sign-extended top byte
            for (int i = le.length - 2; i >= 0; i--) {
                v = (v << 8) | (le[i] & 0xff);
            }
            return PyInt.of(v);
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger big = new BigInteger(be);
        return big.bitLength() < 64 ? PyInt.of(big.longValue()) : new PyBigInt(big);
    }
}
