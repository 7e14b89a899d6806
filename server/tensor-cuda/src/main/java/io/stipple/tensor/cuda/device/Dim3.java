package io.stipple.tensor.cuda.device;

/** A grid or block shape, as CUDA's dim3. */
public record Dim3(int x, int y, int z) {
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("dim3(" + x + ", " + y + ", " + z + ") (expected: every side at least 1)");
        }
    }

    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }
}
