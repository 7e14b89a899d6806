package io.stipple.tensor.random;

/**
 * torch's CPU random number generator ({@code torch.Generator('cpu')} after {@code manual_seed(seed)},
 * or the default generator after {@code torch.manual_seed(seed)}), reproducing {@code torch.randn} and
 * {@code torch.rand} for float32 bit for bit (torch 1.13 on an x86 CPU, where normal sampling runs the
 * AVX2 kernel; torch never dispatches it to AVX-512).
 *
 * <p>torch builds without AVX2 (ARM, or an x86 CPU without it) run the same algorithm with the C
 * library's logf/sinf/cosf and differ in the last bit of some values; x86 machines, where ComfyUI
 * images are usually made, all give these numbers.
 *
 * <p>Like torch's generator it is a stream: every call consumes state, so a sequence of calls gives
 * the same tensors as the same sequence of torch calls on the same generator. It is not thread-safe.
 */
public final class TorchGenerator {
    /** torch draws tensors of at least this many elements with the block Box-Muller kernel. */
    private static final int BLOCK = 16;

    private final long seed;
    private final Mt19937 engine;
    private final BoxMuller16 boxMuller = new BoxMuller16();
    /** The second value of the last scalar Box-Muller pair (torch's {@code next_double_normal_sample}). */
    private boolean hasCachedNormal;
    private double cachedNormal;

    /**
     * A generator as {@code manual_seed(seed)} leaves it. torch takes any value that fits in 64 bits
     * (a negative one as its two's complement); only the low 32 bits reach the Mersenne Twister, so
     * seeds that differ by a multiple of 2^32 give the same numbers.
     */
    public TorchGenerator(long seed) {
        this.seed = seed;
        this.engine = new Mt19937(seed);
    }

    /** The seed this generator was created with ({@code initial_seed()}). */
    public long initialSeed() {
        return seed;
    }

    /** {@code torch.randn(shape)}: standard normal float32 values, row-major. */
    public float[] randn(int... shape) {
        float[] out = new float[Shapes.numel("shape", shape)];
        randn(out, 0, out.length);
        return out;
    }

    /** {@code torch.rand(shape)}: float32 values uniform on [0, 1), row-major. */
    public float[] rand(int... shape) {
        float[] out = new float[Shapes.numel("shape", shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = nextUniformFloat();
        }
        return out;
    }

    /** One {@code torch.randn} of {@code count} elements, written to {@code out[offset, offset + count)}. */
    void randn(float[] out, int offset, int count) {
        if (count >= BLOCK) {
            fillNormalBlocks(out, offset, count);
        } else {
            for (int i = offset; i < offset + count; i++) {
                // static_cast<float>(normal * std + mean) with std 1, mean 0; "+ 0.0" turns -0 into +0 as torch does
                out[i] = (float) (nextNormalDouble() + 0.0);
            }
        }
    }

    /**
     * torch's {@code normal_fill}: uniforms for every element first, then Box-Muller on each block of
     * 16 (8 pairs: element j with j + 8). A tail shorter than 16 is not transformed alone: torch draws 16
     * fresh uniforms for the last 16 elements and transforms those, overwriting values already written.
     */
    private void fillNormalBlocks(float[] data, int offset, int n) {
        int end = offset + n;
        for (int i = offset; i < end; i++) {
            data[i] = nextUniformFloat();
        }
        for (int i = offset; i + BLOCK <= end; i += BLOCK) {
            boxMuller.transform(data, i);
        }
        if (n % BLOCK != 0) {
            int start = end - BLOCK;
            for (int i = start; i < end; i++) {
                data[i] = nextUniformFloat();
            }
            boxMuller.transform(data, start);
        }
    }

    /** torch's {@code random()}: the next 32 bits of the Mersenne Twister. */
    int nextInt() {
        return engine.nextInt();
    }

    /** torch's {@code random64()}: two 32-bit draws, the first as the high half. */
    long nextLong() {
        long hi = engine.nextInt() & 0xffffffffL;
        long lo = engine.nextInt() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    /** {@code uniform_real_distribution<float>(0, 1)}: 24 random bits scaled by 2^-24, exact in float. */
    float nextUniformFloat() {
        return (engine.nextInt() & 0xffffff) * 0x1p-24f;
    }

    /** {@code uniform_real_distribution<double>(0, 1)}: 53 bits of {@code random64()} scaled by 2^-53. */
    double nextUniformDouble() {
        return (nextLong() & ((1L << 53) - 1)) * 0x1p-53;
    }

    /**
     * {@code normal_distribution<double>(0, 1)}: Box-Muller in double on two uniforms, returning the
     * cosine value and keeping the sine value for the next call. torch calls glibc's double log, sin
     * and cos; {@link StrictMath}'s agree with them to within the last bit of a double, which the
     * rounding to float removes (checked against torch on millions of draws).
     */
    double nextNormalDouble() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = nextUniformDouble();
        double u2 = nextUniformDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        cachedNormal = r * StrictMath.sin(theta);
        hasCachedNormal = true;
        return r * StrictMath.cos(theta);
    }
}
