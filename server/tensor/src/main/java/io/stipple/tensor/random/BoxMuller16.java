package io.stipple.tensor.random;

/**
 * torch's {@code normal_fill_16_AVX2}: turns 16 uniforms in [0, 1) into 16 standard normals, pairing
 * element j (giving the radius) with element j + 8 (giving the angle), all in float arithmetic with
 * the {@link AvxMathFun} logarithm and sine/cosine.
 */
final class BoxMuller16 {
    private static final float TWO_PI = (float) (2.0 * Math.PI);

    private final float[] sinCos = new float[2];

    void transform(float[] data, int start) {
        for (int j = start; j < start + 8; j++) {
            float u1 = 1f - data[j]; // [0, 1) -> (0, 1] for the logarithm
            float u2 = data[j + 8];
            float radius = (float) Math.sqrt(-2f * AvxMathFun.log(u1));
            float theta = TWO_PI * u2;
            AvxMathFun.sincos(theta, sinCos);
            // torch stores fmadd(n, std, mean) with std 1 and mean 0: n exactly, except -0 becomes +0
            data[j] = radius * sinCos[1] + 0f;
            data[j + 8] = radius * sinCos[0] + 0f;
        }
    }
}
