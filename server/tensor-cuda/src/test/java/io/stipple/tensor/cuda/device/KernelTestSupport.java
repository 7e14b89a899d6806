package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every kernel contract shares: the device under test, opened once per class (the emulated one
 * in every build, the GPU where there is one), and the helpers that move data and compare results,
 * printing the first values and the largest difference on failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KernelTestSupport {
    protected CudaDevice device;
    protected final Random random = new Random(42);
    protected final CpuOps cpu = new CpuOps();


    /** The device under test. */
    protected abstract CudaDevice openDevice();


    @BeforeAll
    void open() {
        device = openDevice();
    }


    @AfterAll
    void close() {
        if (device != null) {
            device.close();
        }
    }


    protected float[] random(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }


    protected DeviceBuffer upload(float[] v) {
        DeviceBuffer b = device.allocate(v.length * 4L);
        device.copyToDevice(MemorySegment.ofArray(v), b);
        return b;
    }


    protected float[] download(DeviceBuffer b, int n) {
        float[] out = new float[n];
        device.copyToHost(b, MemorySegment.ofArray(out));
        return out;
    }


    protected DeviceBuffer upload(int[] v) {
        DeviceBuffer b = device.allocate(v.length * 4L);
        device.copyToDevice(MemorySegment.ofArray(v), b);
        return b;
    }


    protected void free(DeviceBuffer... buffers) {
        for (DeviceBuffer b : buffers) {
            device.free(b);
        }
    }


    protected static Shape shape(String dims) {
        return Shape.of(java.util.Arrays.stream(dims.split("x")).mapToInt(Integer::parseInt).toArray());
    }


    /**
     * Bit for bit (a NaN matches any NaN): the number of differing elements, the first, and the
     * first values, on failure.
     */
    protected static void assertBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        int differing = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i]) : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            if (!same) {
                differing++;
                first = first < 0 ? i : first;
            }
        }
        int at = Math.max(first, 0);
        assertTrue(differing == 0, what + ": " + differing + " of " + expected.length + " elements differ, the first at [" + first
                + "] (expected " + expected[at] + ", got " + actual[at] + "); first values expected " + expected[0] + ", got " + actual[0]);
    }


    /**
     * Within {@code ulps} units in the last place of the expected float32 value plus {@code abs}
     * (a NaN matches a NaN, an infinity itself); reports the largest difference in ulps.
     */
    protected static void assertUlps(String what, float[] expected, float[] actual, double ulps, double abs) {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            double d;
            if (Float.isNaN(e) || Float.isInfinite(e)) {
                d = (Float.isNaN(e) ? Float.isNaN(a) : e == a) ? 0 : Double.POSITIVE_INFINITY;
            } else {
                d = Math.max(0, Math.abs((double) e - a) - abs) / Math.ulp(e);
            }
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        int i = Math.max(at, 0);
        assertTrue(worst <= ulps, what + ": largest difference " + worst + " ulps (beyond " + abs + ") at [" + at + "] (expected "
                + expected[i] + ", got " + actual[i] + "); first values expected " + expected[0] + ", got " + actual[0]);
    }


    protected static void assertClose(String what, double[] expected, float[] actual, double tolerance) {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst + " at [" + at + "] (expected " + expected[Math.max(at, 0)]
                + ", got " + actual[Math.max(at, 0)] + "); first values expected " + expected[0] + ", got " + actual[0]);
    }

    /** float32 to bfloat16, round to nearest even (what torch and CUDA do). */
    protected static short bf16(float f) {
        int u = Float.floatToRawIntBits(f);
        u += 0x7fff + ((u >>> 16) & 1);
        return (short) (u >>> 16);
    }
}
