package io.stipple.app.grpc;

/**
 * A request's float field as the decimal the user wrote. The .proto carries denoise, strengths and
 * ratios as float32, so 0.6 arrives as 0.6000000238; ComfyUI computes with the Python double 0.6,
 * and where the value feeds double arithmetic the two differ: {@code int(6 / 0.6)} is 10 steps, and
 * 9 with the float's neighbour. The shortest decimal that reads back as the same float is the one
 * the user typed (for any decimal of up to 7 significant digits).
 */
final class RequestDecimal {
    private RequestDecimal() {}

    static double of(float v) {
        return Double.parseDouble(Float.toString(v));
    }
}
