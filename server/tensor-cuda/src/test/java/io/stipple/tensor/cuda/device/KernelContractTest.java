package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.rules.Broadcast;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kernel of stipple_kernels.cu on a device, against a naive computation in double precision
 * (or the CPU backend) here, on shapes that cross block and warp edges (a row shorter than a warp,
 * one longer than a block, a group that is not a multiple of the block). Each device runs the same
 * cases: the emulated one in every build, the GPU where there is one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KernelContractTest {
    private CudaDevice device;
    private final Random RANDOM = new Random(42);
    private final CpuOps cpu = new CpuOps();

    /** The device under test. */
    abstract CudaDevice openDevice();

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

    private float[] random(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (RANDOM.nextGaussian() * scale);
        }
        return v;
    }

    private DeviceBuffer upload(float[] v) {
        DeviceBuffer b = device.allocate(v.length * 4L);
        device.copyToDevice(MemorySegment.ofArray(v), b);
        return b;
    }

    private float[] download(DeviceBuffer b, int n) {
        float[] out = new float[n];
        device.copyToHost(b, MemorySegment.ofArray(out));
        return out;
    }

    private DeviceBuffer upload(int[] v) {
        DeviceBuffer b = device.allocate(v.length * 4L);
        device.copyToDevice(MemorySegment.ofArray(v), b);
        return b;
    }

    private void free(DeviceBuffer... buffers) {
        for (DeviceBuffer b : buffers) {
            device.free(b);
        }
    }

    private static Shape shape(String dims) {
        return Shape.of(java.util.Arrays.stream(dims.split("x")).mapToInt(Integer::parseInt).toArray());
    }

    /**
     * Bit for bit (a NaN matches any NaN): the number of differing elements, the first, and the
     * first values, on failure.
     */
    private static void assertBits(String what, float[] expected, float[] actual) {
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
    private static void assertUlps(String what, float[] expected, float[] actual, double ulps, double abs) {
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

    private static void assertClose(String what, double[] expected, float[] actual, double tolerance) {
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

    @ParameterizedTest(name = "softmax of rows of {0}")
    @ValueSource(ints = {1, 7, 32, 255, 256, 257, 1000})
    void softmaxMatchesTheDefinition(int cols) {
        int rows = 3;
        float[] x = random(rows * cols, 4);
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(x.length * 4L);
        device.launch(Kernel.SOFTMAX_ROWS, Dim3.of(rows), Dim3.of(Kernel.BLOCK), KernelArg.of(in), KernelArg.of(out), KernelArg.of(cols));
        double[] expected = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                expected[r * cols + j] = Math.exp(x[r * cols + j] - max) / sum;
            }
        }
        assertClose("softmax", expected, download(out, x.length), 1e-6);
        device.free(in);
        device.free(out);
    }

    @ParameterizedTest(name = "layer norm of rows of {0}")
    @ValueSource(ints = {3, 32, 320, 768, 1031})
    void layerNormMatchesTheDefinition(int cols) {
        int rows = 4;
        float[] x = random(rows * cols, 2);
        float[] gamma = random(cols, 1);
        float[] beta = random(cols, 1);
        DeviceBuffer in = upload(x);
        DeviceBuffer g = upload(gamma);
        DeviceBuffer b = upload(beta);
        DeviceBuffer out = device.allocate(x.length * 4L);
        device.launch(Kernel.LAYER_NORM_ROWS, Dim3.of(rows), Dim3.of(Kernel.BLOCK), KernelArg.of(in), KernelArg.of(g), KernelArg.of(b),
                KernelArg.of(out), KernelArg.of(cols), KernelArg.of(1e-5f));
        double[] expected = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < cols; j++) {
                mean += x[r * cols + j];
            }
            mean /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x[r * cols + j] - mean) * (x[r * cols + j] - mean);
            }
            double rstd = 1 / Math.sqrt(var / cols + 1e-5);
            for (int j = 0; j < cols; j++) {
                expected[r * cols + j] = (x[r * cols + j] - mean) * rstd * gamma[j] + beta[j];
            }
        }
        assertClose("layer norm", expected, download(out, x.length), 2e-5);
        // without affine: gamma and beta are NULL
        device.launch(Kernel.LAYER_NORM_ROWS, Dim3.of(rows), Dim3.of(Kernel.BLOCK), KernelArg.of(in), new KernelArg.Pointer(null),
                new KernelArg.Pointer(null), KernelArg.of(out), KernelArg.of(cols), KernelArg.of(1e-5f));
        float[] plain = download(out, x.length);
        double mean = 0;
        for (float v : plain) {
            mean += v;
        }
        assertEquals(0, mean / plain.length, 1e-5, "normalised rows have mean 0");
        for (DeviceBuffer d : new DeviceBuffer[] {in, g, b, out}) {
            device.free(d);
        }
    }

    @ParameterizedTest(name = "group norm, 32 groups, spatial {0}, silu fused")
    @ValueSource(ints = {1, 9, 64, 100})
    void groupNormWithSiluMatchesTheDefinition(int spatial) {
        int batch = 2;
        int channels = 64;
        int groups = 32;
        float[] x = random(batch * channels * spatial, 3);
        float[] gamma = random(channels, 1);
        float[] beta = random(channels, 1);
        DeviceBuffer in = upload(x);
        DeviceBuffer g = upload(gamma);
        DeviceBuffer b = upload(beta);
        DeviceBuffer out = device.allocate(x.length * 4L);
        device.launch(Kernel.GROUP_NORM, Dim3.of(batch * groups), Dim3.of(Kernel.BLOCK), KernelArg.of(in), KernelArg.of(g), KernelArg.of(b),
                KernelArg.of(out), KernelArg.of(channels), KernelArg.of(spatial), KernelArg.of(groups), KernelArg.of(1e-6f), KernelArg.of(1));
        double[] expected = new double[x.length];
        int per = channels / groups;
        for (int n = 0; n < batch; n++) {
            for (int gi = 0; gi < groups; gi++) {
                int base = (n * channels + gi * per) * spatial;
                int count = per * spatial;
                double mean = 0;
                for (int i = 0; i < count; i++) {
                    mean += x[base + i];
                }
                mean /= count;
                double var = 0;
                for (int i = 0; i < count; i++) {
                    var += (x[base + i] - mean) * (x[base + i] - mean);
                }
                double rstd = 1 / Math.sqrt(var / count + 1e-6);
                for (int i = 0; i < count; i++) {
                    int c = gi * per + i / spatial;
                    double v = (x[base + i] - mean) * rstd * gamma[c] + beta[c];
                    expected[base + i] = v / (1 + Math.exp(-v));
                }
            }
        }
        assertClose("group norm + silu", expected, download(out, x.length), 2e-5);
        for (DeviceBuffer d : new DeviceBuffer[] {in, g, b, out}) {
            device.free(d);
        }
    }

    @Test
    void addScaledAndSiluOverAGridStrideLoop() {
        int n = 10_000; // more than the grid covers at once: 4 blocks of 256
        float[] a = random(n, 1);
        float[] b = random(n, 1);
        DeviceBuffer da = upload(a);
        DeviceBuffer db = upload(b);
        DeviceBuffer out = device.allocate(n * 4L);
        device.launch(Kernel.ADD_SCALED, Dim3.of(4), Dim3.of(256), KernelArg.of(da), KernelArg.of(db), KernelArg.of(-0.5f), KernelArg.of(out),
                KernelArg.of((long) n));
        float[] sum = download(out, n);
        for (int i = 0; i < n; i++) {
            assertEquals(a[i] + b[i] * -0.5f, sum[i], 0f, "float32 rounding of each product and sum, as torch");
        }
        device.launch(Kernel.SILU_F32, Dim3.of(3), Dim3.of(128), KernelArg.of(da), KernelArg.of(out), KernelArg.of((long) n));
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = a[i] / (1 + Math.exp(-a[i]));
        }
        assertClose("silu", expected, download(out, n), 1e-6);
        device.free(da);
        device.free(db);
        device.free(out);
    }

    @Test
    void conversionsRoundToNearestEvenAsTheCpuBackendDoes() {
        float[] x = random(5000, 100);
        x[0] = Float.NaN;
        x[1] = Float.POSITIVE_INFINITY;
        x[2] = 65520f; // rounds to infinity in half
        x[3] = 1e-7f; // a half subnormal
        x[4] = -0f;
        x[5] = 3.0e38f;
        DeviceBuffer in = upload(x);
        try (Arena arena = Arena.ofConfined()) {
            for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
                DeviceBuffer half = device.allocate(x.length * 2L);
                device.launch(dtype == DType.BF16 ? Kernel.F32_TO_BF16 : Kernel.F32_TO_F16, Dim3.of(8), Dim3.of(256), KernelArg.of(in),
                        KernelArg.of(half), KernelArg.of((long) x.length));
                MemorySegment bits = arena.allocate(x.length * 2L);
                device.copyToHost(half, bits);
                for (int i = 0; i < x.length; i++) {
                    short expected = dtype == DType.BF16 ? bf16(x[i]) : Float.floatToFloat16(x[i]);
                    short got = bits.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
                    if (Float.isNaN(x[i])) {
                        assertTrue(dtype == DType.BF16 ? Float.isNaN(Float.intBitsToFloat(got << 16)) : Float.isNaN(Float.float16ToFloat(got)));
                    } else {
                        assertEquals(expected, got, dtype + " of " + x[i] + " at " + i);
                    }
                }
                DeviceBuffer back = device.allocate(x.length * 4L);
                device.launch(dtype == DType.BF16 ? Kernel.BF16_TO_F32 : Kernel.F16_TO_F32, Dim3.of(8), Dim3.of(256), KernelArg.of(half),
                        KernelArg.of(back), KernelArg.of((long) x.length));
                float[] widened = download(back, x.length);
                for (int i = 1; i < x.length; i++) {
                    short b = bits.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
                    float exact = dtype == DType.BF16 ? Float.intBitsToFloat(b << 16) : Float.float16ToFloat(b);
                    assertEquals(exact, widened[i], 0f, "widening is exact");
                }
                device.free(half);
                device.free(back);
            }
        }
        device.free(in);
    }

    /** float32 to bfloat16, round to nearest even (what torch and CUDA do). */
    private static short bf16(float f) {
        int u = Float.floatToRawIntBits(f);
        u += 0x7fff + ((u >>> 16) & 1);
        return (short) (u >>> 16);
    }

    @Test
    void gegluIsTheValueTimesGeluOfTheGate() {
        int rows = 37;
        int inner = 70;
        float[] x = random(rows * 2 * inner, 2);
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(rows * inner * 4L);
        device.launch(Kernel.GEGLU, Dim3.of(5), Dim3.of(256), KernelArg.of(in), KernelArg.of(out), KernelArg.of((long) rows), KernelArg.of(inner));
        double[] expected = new double[rows * inner];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < inner; j++) {
                double a = x[r * 2 * inner + j];
                double g = x[r * 2 * inner + inner + j];
                expected[r * inner + j] = a * 0.5 * g * (1 + erf(g / Math.sqrt(2)));
            }
        }
        assertClose("geglu", expected, download(out, rows * inner), 1e-5);
        device.free(in);
        device.free(out);
    }

    /** erf to 1e-7 (Abramowitz and Stegun 7.1.26 is too coarse; this is its series/continued-fraction pair). */
    private static double erf(double x) {
        double t = Math.abs(x);
        double r;
        if (t < 2.5) {
            double sum = t;
            double term = t;
            for (int n = 1; n < 100; n++) {
                term *= -t * t / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (t + f);
            }
            r = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
        }
        return Math.copySign(r, x);
    }

    @ParameterizedTest(name = "nearest resize of 5x7 to {0}")
    @ValueSource(strings = {"10x14", "13x3", "5x7", "2x2"})
    void resizeNearestPicksTorchsSourcePixels(String size) {
        int oh = Integer.parseInt(size.split("x")[0]);
        int ow = Integer.parseInt(size.split("x")[1]);
        int planes = 3;
        float[] x = random(planes * 5 * 7, 1);
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(planes * oh * ow * 4L);
        device.launch(Kernel.RESIZE_NEAREST, Dim3.of(2), Dim3.of(64), KernelArg.of(in), KernelArg.of(out), KernelArg.of((long) planes),
                KernelArg.of(5), KernelArg.of(7), KernelArg.of(oh), KernelArg.of(ow));
        var cpu = new io.stipple.tensor.cpu.CpuOps();
        float[] expected = cpu.upsampleNearest(cpu.fromArray(x, io.stipple.tensor.Shape.of(planes, 5, 7)), oh, ow).toArray();
        assertArrayEquals(expected, download(out, planes * oh * ow), "the CPU backend's pixels");
        device.free(in);
        device.free(out);
    }

    @Test
    void timestepEmbeddingIsCosinesThenSines() {
        float[] t = {999f, 500.5f, 1f, 0f};
        int dim = 320;
        DeviceBuffer in = upload(t);
        DeviceBuffer out = device.allocate(t.length * dim * 4L);
        device.launch(Kernel.TIMESTEP_EMBEDDING, Dim3.of(2), Dim3.of(128), KernelArg.of(in), KernelArg.of(out), KernelArg.of(t.length),
                KernelArg.of(dim));
        double[] expected = new double[t.length * dim];
        int half = dim / 2;
        for (int b = 0; b < t.length; b++) {
            for (int i = 0; i < half; i++) {
                float freq = (float) Math.exp((float) -Math.log(10000.0) * i / half);
                float arg = t[b] * freq;
                expected[b * dim + i] = Math.cos(arg);
                expected[b * dim + half + i] = Math.sin(arg);
            }
        }
        assertClose("timestep embedding", expected, download(out, t.length * dim), 2e-6);
        device.free(in);
        device.free(out);
    }

    @ParameterizedTest(name = "attention, head size {0}, causal {1}")
    @org.junit.jupiter.params.provider.CsvSource({"4, false", "8, true", "40, false", "64, true", "80, false", "160, false"})
    void attentionMatchesTheCpuBackend(int d, boolean causal) {
        int batch = 2;
        int heads = 2;
        int nq = 70; // crosses the 64-thread block
        int nk = causal ? nq : 23;
        int width = heads * d;
        float[] q = random(batch * nq * width, 1);
        float[] k = random(batch * nk * width, 1);
        float[] v = random(batch * nk * width, 1);
        DeviceBuffer dq = upload(q);
        DeviceBuffer dk = upload(k);
        DeviceBuffer dv = upload(v);
        DeviceBuffer out = device.allocate(q.length * 4L);
        device.launch(Kernel.ATTENTION_ROWS, new Dim3(batch * heads, (nq + 63) / 64, 1), Dim3.of(64), KernelArg.of(dq), KernelArg.of(dk),
                KernelArg.of(dv), KernelArg.of(out), KernelArg.of(nq), KernelArg.of(nk), KernelArg.of(heads), KernelArg.of(d),
                KernelArg.of((float) (1 / Math.sqrt(d))), KernelArg.of(causal ? 1 : 0));
        var cpu = new io.stipple.tensor.cpu.CpuOps();
        float[] expected = cpu.attention(cpu.fromArray(q, io.stipple.tensor.Shape.of(batch, nq, width)),
                cpu.fromArray(k, io.stipple.tensor.Shape.of(batch, nk, width)), cpu.fromArray(v, io.stipple.tensor.Shape.of(batch, nk, width)),
                heads, causal).toArray();
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose("attention", e, download(out, q.length), 2e-5);
        for (DeviceBuffer b : new DeviceBuffer[] {dq, dk, dv, out}) {
            device.free(b);
        }
    }

    @ParameterizedTest(name = "sgemm, transA {0}, transB {1}")
    @org.junit.jupiter.params.provider.CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void sgemmWithEitherOperandTransposedMatchesTheCpu(boolean transA, boolean transB) {
        int m = 19;
        int n = 33;
        int k = 70;
        float[] a = random(m * k, 1); // stored (k, m) when transposed
        float[] b = random(k * n, 1); // stored (n, k) when transposed
        DeviceBuffer da = upload(a);
        DeviceBuffer db = upload(b);
        DeviceBuffer dc = device.allocate(m * n * 4L);
        device.sgemm(transA, transB, m, n, k, da, db, dc);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                expected[i * n + j] = sum;
            }
        }
        assertClose("sgemm", expected, download(dc, m * n), 1e-4);
        for (DeviceBuffer d : new DeviceBuffer[] {da, db, dc}) {
            device.free(d);
        }
    }

    @ParameterizedTest(name = "conv2d as im2col and GEMM: kernel {0}, stride {1}, padding {2}")
    @org.junit.jupiter.params.provider.CsvSource({"3, 1, 1", "3, 2, 1", "1, 1, 0"})
    void im2colThenGemmIsTheCpusConvolution(int kernel, int stride, int padding) {
        int batch = 2;
        int channels = 5;
        int h = 9;
        int w = 7;
        int out = 6;
        int oh = (h + 2 * padding - kernel) / stride + 1;
        int ow = (w + 2 * padding - kernel) / stride + 1;
        int rows = channels * kernel * kernel;
        float[] x = random(batch * channels * h * w, 1);
        float[] weight = random(out * rows, 1);
        DeviceBuffer dx = upload(x);
        DeviceBuffer dw = upload(weight);
        DeviceBuffer cols = device.allocate((long) batch * rows * oh * ow * 4);
        device.launch(Kernel.IM2COL, Dim3.of(16), Dim3.of(128), KernelArg.of(dx), KernelArg.of(cols), KernelArg.of(batch),
                KernelArg.of(channels), KernelArg.of(h), KernelArg.of(w), KernelArg.of(kernel), KernelArg.of(kernel), KernelArg.of(stride),
                KernelArg.of(padding), KernelArg.of(oh), KernelArg.of(ow));
        float[] result = new float[batch * out * oh * ow];
        float[] allCols = download(cols, batch * rows * oh * ow);
        for (int b = 0; b < batch; b++) {
            // one GEMM per batch element here; a strided batched GEMM will do them in one call
            DeviceBuffer colsB = upload(java.util.Arrays.copyOfRange(allCols, b * rows * oh * ow, (b + 1) * rows * oh * ow));
            DeviceBuffer y = device.allocate((long) out * oh * ow * 4);
            device.sgemm(false, false, out, oh * ow, rows, dw, colsB, y);
            System.arraycopy(download(y, out * oh * ow), 0, result, b * out * oh * ow, out * oh * ow);
            device.free(colsB);
            device.free(y);
        }
        var cpu = new io.stipple.tensor.cpu.CpuOps();
        float[] expected = cpu.conv2d(cpu.fromArray(x, io.stipple.tensor.Shape.of(batch, channels, h, w)),
                cpu.fromArray(weight, io.stipple.tensor.Shape.of(out, channels, kernel, kernel)), null, stride, padding).toArray();
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose("conv2d", e, result, 1e-4);
        for (DeviceBuffer d : new DeviceBuffer[] {dx, dw, cols}) {
            device.free(d);
        }
    }

    @Test
    void aFreedBufferIsRefused() {
        DeviceBuffer b = device.allocate(64);
        device.free(b);
        var e = assertThrows(IllegalStateException.class, () -> device.free(b));
        assertTrue(e.getMessage().contains("freed twice?"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> device.copyToHost(b, MemorySegment.ofArray(new float[4])));
        assertArrayEquals(new float[0], new float[0]);
    }

    // ---- broadcasting binary, scalar and unary elementwise -------------------------------------

    @ParameterizedTest(name = "{2} of {0} and {1}")
    @CsvSource({"2x3x40, 40, ADD", "5x1x7, 1x6x1, SUB", "1, 3x40, MUL", "2x1x3x1x5x33, 1x4x1x6x1x33, DIV", "257, 257, ADD",
            "4x1, 3, MUL", "1x3x1x1, 2x3x9x11, DIV", "6x5x4x3x2x1, 1, SUB"})
    void binaryBroadcastingIsTheCpusBitForBit(String left, String right, String op) {
        Shape sa = shape(left);
        Shape sb = shape(right);
        Shape out = Broadcast.shape(sa, sb);
        float[] a = random((int) sa.size(), 2);
        float[] b = random((int) sb.size(), 2);
        int[] dims = new int[Kernel.MAX_RANK];
        java.util.Arrays.fill(dims, 1);
        for (int i = 0; i < out.rank(); i++) {
            dims[Kernel.MAX_RANK - out.rank() + i] = out.dim(i);
        }
        int[] meta = new int[3 * Kernel.MAX_RANK];
        System.arraycopy(dims, 0, meta, 0, Kernel.MAX_RANK);
        System.arraycopy(Broadcast.strides(sa, dims), 0, meta, Kernel.MAX_RANK, Kernel.MAX_RANK);
        System.arraycopy(Broadcast.strides(sb, dims), 0, meta, 2 * Kernel.MAX_RANK, Kernel.MAX_RANK);
        DeviceBuffer da = upload(a);
        DeviceBuffer db = upload(b);
        DeviceBuffer dm = upload(meta);
        int n = (int) out.size();
        DeviceBuffer dout = device.allocate(n * 4L);
        int code = switch (op) {
            case "ADD" -> Kernel.ADD;
            case "SUB" -> Kernel.SUB;
            case "MUL" -> Kernel.MUL;
            default -> Kernel.DIV;
        };
        // 3 blocks of 64: most shapes here need the grid-stride loop
        device.launch(Kernel.BINARY_BROADCAST, Dim3.of(3), Dim3.of(64), KernelArg.of(da), KernelArg.of(db), KernelArg.of(dout),
                KernelArg.of(dm), KernelArg.of(code), KernelArg.of((long) n));
        var ta = cpu.fromArray(a, sa);
        var tb = cpu.fromArray(b, sb);
        var expected = switch (op) {
            case "ADD" -> cpu.add(ta, tb);
            case "SUB" -> cpu.sub(ta, tb);
            case "MUL" -> cpu.mul(ta, tb);
            default -> cpu.div(ta, tb);
        };
        assertEquals(out, expected.shape());
        assertBits(op + " " + sa + " " + sb, expected.toArray(), download(dout, n));
        free(da, db, dm, dout);
    }

    @Test
    void scaleAddScalarAndDivScalarAreTheCpusBitForBit() {
        int n = 3000;
        float[] x = random(n, 3);
        float s = 0.3f;
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(n * 4L);
        var t = cpu.fromArray(x, Shape.of(n));
        float[][] expected = {cpu.scale(t, s).toArray(), cpu.addScalar(t, s).toArray(), cpu.divScalar(t, s).toArray()};
        int[] ops = {Kernel.MUL, Kernel.ADD, Kernel.DIV};
        String[] names = {"scale", "addScalar", "divScalar"};
        for (int k = 0; k < ops.length; k++) {
            device.launch(Kernel.BINARY_SCALAR, Dim3.of(2), Dim3.of(256), KernelArg.of(in), KernelArg.of(s), KernelArg.of(out),
                    KernelArg.of(ops[k]), KernelArg.of((long) n));
            assertBits(names[k], expected[k], download(out, n));
        }
        // the division test can tell division from multiplication by the reciprocal on these inputs
        float inverse = 1 / s;
        int differs = 0;
        for (int i = 0; i < n; i++) {
            differs += x[i] * inverse != expected[2][i] ? 1 : 0;
        }
        assertTrue(differs > 0, "x·(1/s) rounds as x/s everywhere here: the divScalar case proves nothing");
        free(in, out);
    }

    @Test
    void clampKeepsNaNAndOrdersZerosAsTheCpu() {
        float[] x = random(1000, 2);
        float[] edges = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f, 0.999f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(x.length * 4L);
        var t = cpu.fromArray(x, Shape.of(x.length));
        for (float[] range : new float[][] {{-1f, 1f}, {0f, 0.5f}, {-0f, 0f}, {1f, -1f}}) {
            device.launch(Kernel.CLAMP_F32, Dim3.of(2), Dim3.of(128), KernelArg.of(in), KernelArg.of(out), KernelArg.of(range[0]),
                    KernelArg.of(range[1]), KernelArg.of((long) x.length));
            assertBits("clamp to [" + range[0] + ", " + range[1] + "]", cpu.clamp(t, range[0], range[1]).toArray(), download(out, x.length));
        }
        free(in, out);
    }

    /**
     * Each function against the CPU backend: exact where IEEE rounds one operation (neg, abs,
     * square, sqrt); otherwise within a few ulps: CUDA's expf, sinf, cosf, erff and tanhf are within
     * 2 ulps and logf 1 (the emulation's glibc ones within 1), the CPU's float of a double result
     * within 0.5, its vectorised exp within about 1. Two absolute allowances: where e^-x overflows
     * float32 (x near -88) the kernels' sigmoid is 0 and the CPU's double keeps a subnormal (below
     * 1e-35); and GELU's 1 + erf(x/√2) cancels for negative x, so an error of erf's last bit (6e-8
     * of 1, times x/2) is absolute, not relative, and below 4e-7 for the inputs here.
     */
    @ParameterizedTest(name = "unary {0}")
    @EnumSource(UnaryOp.class)
    void unaryFunctionsMatchTheCpu(UnaryOp op) {
        int n = 5000;
        float[] x = random(n, 4);
        float[] edges = {0f, -0f, 1f, -1f, 20f, -20f, 88f, -88f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        if (op == UnaryOp.LOG || op == UnaryOp.SQRT) {
            for (int i = edges.length; i < n; i += 2) {
                x[i] = Math.abs(x[i]); // half the inputs in the domain, half NaN
            }
        }
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(n * 4L);
        device.launch(Kernel.UNARY_F32, Dim3.of(3), Dim3.of(256), KernelArg.of(in), KernelArg.of(out), KernelArg.of(op.ordinal()),
                KernelArg.of((long) n));
        float[] expected = cpu.unary(cpu.fromArray(x, Shape.of(n)), op).toArray();
        float[] got = download(out, n);
        switch (op) {
            case NEG, ABS, SQUARE, SQRT -> assertBits(op.name(), expected, got);
            case EXP, SIN, COS -> assertUlps(op.name(), expected, got, 3, 0);
            case LOG -> assertUlps(op.name(), expected, got, 2, 0);
            case SIGMOID, SILU, QUICK_GELU -> assertUlps(op.name(), expected, got, 4, 1e-35);
            case GELU, GELU_TANH -> assertUlps(op.name(), expected, got, 4, 4e-7);
        }
        free(in, out);
    }

    // ---- reductions ----------------------------------------------------------------------------

    /** Both passes: 7 blocks of BLOCK threads into 7 partials, then one block over those. */
    private float reduce(DeviceBuffer in, long n, int op) {
        int grid = 7;
        DeviceBuffer partials = device.allocate(grid * 4L);
        DeviceBuffer total = device.allocate(4);
        device.launch(Kernel.REDUCE_F32, Dim3.of(grid), Dim3.of(Kernel.BLOCK), KernelArg.of(in), KernelArg.of(partials), KernelArg.of(op),
                KernelArg.of(n));
        device.launch(Kernel.REDUCE_F32, Dim3.of(1), Dim3.of(Kernel.BLOCK), KernelArg.of(partials), KernelArg.of(total), KernelArg.of(op),
                KernelArg.of((long) grid));
        float r = download(total, 1)[0];
        free(partials, total);
        return r;
    }

    /**
     * The sum in float32 within 1e-6 of the sum of |x| (the CPU sums in double; the kernel adds a
     * few dozen terms per thread, then a tree); the largest |x| exactly, a NaN kept as the CPU keeps it.
     */
    @ParameterizedTest(name = "sum and maxAbs of {0}")
    @ValueSource(ints = {0, 1, 31, 257, 10_000, 100_003})
    void sumAndMaxAbsMatchTheCpu(int n) {
        float[] x = random(n, 3);
        if (n > 0) {
            x[n / 2] = 1000f + n; // the largest magnitude is somewhere in the middle
        }
        DeviceBuffer in = upload(x);
        var t = cpu.fromArray(x, Shape.of(n));
        double magnitude = 0;
        for (float v : x) {
            magnitude += Math.abs(v);
        }
        double expectedSum = cpu.sum(t);
        float sum = reduce(in, n, Kernel.SUM);
        assertTrue(Math.abs(sum - expectedSum) <= 1e-6 * magnitude, "sum of " + n + ": expected " + expectedSum + ", got " + sum);
        assertEquals(cpu.maxAbs(t), reduce(in, n, Kernel.MAX_ABS), 0.0, "maxAbs of " + n);
        if (n > 300) {
            x[300] = Float.NaN;
            device.copyToDevice(MemorySegment.ofArray(x), in);
            assertTrue(Double.isNaN(cpu.maxAbs(cpu.fromArray(x, Shape.of(n)))));
            assertTrue(Float.isNaN(reduce(in, n, Kernel.MAX_ABS)), "maxAbs keeps a NaN, as the CPU's");
        }
        free(in);
    }

    @ParameterizedTest(name = "scaled error norm of {0}")
    @ValueSource(ints = {1, 100, 4 * 64 * 64 + 3})
    void scaledErrorNormMatchesTheCpu(int n) {
        float[] low = random(n, 1);
        float[] high = low.clone();
        float[] noise = random(n, 0.01f);
        for (int i = 0; i < n; i++) {
            high[i] += noise[i];
        }
        float[] previous = random(n, 1);
        float atol = 0.0078f;
        float rtol = 0.05f;
        DeviceBuffer dl = upload(low);
        DeviceBuffer dh = upload(high);
        DeviceBuffer dp = upload(previous);
        int grid = 5;
        DeviceBuffer partials = device.allocate(grid * 4L);
        DeviceBuffer total = device.allocate(4);
        device.launch(Kernel.SCALED_ERROR_PARTIALS, Dim3.of(grid), Dim3.of(Kernel.BLOCK), KernelArg.of(dl), KernelArg.of(dh), KernelArg.of(dp),
                KernelArg.of(atol), KernelArg.of(rtol), KernelArg.of(partials), KernelArg.of((long) n));
        device.launch(Kernel.REDUCE_F32, Dim3.of(1), Dim3.of(Kernel.BLOCK), KernelArg.of(partials), KernelArg.of(total), KernelArg.of(Kernel.SUM),
                KernelArg.of((long) grid));
        float sumSquares = download(total, 1)[0];
        double norm = (float) Math.sqrt(sumSquares) / (float) Math.sqrt(n);
        Shape s = Shape.of(n);
        double expected = cpu.scaledErrorNorm(cpu.fromArray(low, s), cpu.fromArray(high, s), cpu.fromArray(previous, s), atol, rtol);
        // a sum of positive terms in float32: relative error well below 1e-5
        assertEquals(expected, norm, 1e-5 * expected, "scaled error norm of " + n);
        // a NaN in previous only: the CPU's Math.max makes the tolerance, and so the norm, NaN
        previous[n - 1] = Float.NaN;
        device.copyToDevice(MemorySegment.ofArray(previous), dp);
        assertTrue(Double.isNaN(cpu.scaledErrorNorm(cpu.fromArray(low, s), cpu.fromArray(high, s), cpu.fromArray(previous, s), atol, rtol)));
        device.launch(Kernel.SCALED_ERROR_PARTIALS, Dim3.of(grid), Dim3.of(Kernel.BLOCK), KernelArg.of(dl), KernelArg.of(dh), KernelArg.of(dp),
                KernelArg.of(atol), KernelArg.of(rtol), KernelArg.of(partials), KernelArg.of((long) n));
        device.launch(Kernel.REDUCE_F32, Dim3.of(1), Dim3.of(Kernel.BLOCK), KernelArg.of(partials), KernelArg.of(total), KernelArg.of(Kernel.SUM),
                KernelArg.of((long) grid));
        assertTrue(Float.isNaN(download(total, 1)[0]), "a NaN in previous reaches the sum of squares, as on the CPU");
        free(dl, dh, dp, partials, total);
    }

    // ---- layout --------------------------------------------------------------------------------

    /** dims padded on the left with 1s to Kernel.MAX_RANK (strides with 0s). */
    private static int[] padded(int[] v, int fill) {
        int[] p = new int[Kernel.MAX_RANK];
        java.util.Arrays.fill(p, fill);
        System.arraycopy(v, 0, p, Kernel.MAX_RANK - v.length, v.length);
        return p;
    }

    private static int[] contiguous(int[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    /** One STRIDED_COPY launch over the box {@code dims}; 3 blocks of 64 so that the loop strides. */
    private void stridedCopy(DeviceBuffer in, DeviceBuffer out, int[] dims, int[] inStrides, int[] outStrides, long inOffset, long outOffset) {
        int[] meta = new int[3 * Kernel.MAX_RANK];
        System.arraycopy(padded(dims, 1), 0, meta, 0, Kernel.MAX_RANK);
        System.arraycopy(padded(inStrides, 0), 0, meta, Kernel.MAX_RANK, Kernel.MAX_RANK);
        System.arraycopy(padded(outStrides, 0), 0, meta, 2 * Kernel.MAX_RANK, Kernel.MAX_RANK);
        DeviceBuffer dm = upload(meta);
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        device.launch(Kernel.STRIDED_COPY, Dim3.of(3), Dim3.of(64), KernelArg.of(in), KernelArg.of(out), KernelArg.of(dm), KernelArg.of(inOffset),
                KernelArg.of(outOffset), KernelArg.of(n));
        free(dm);
    }

    @ParameterizedTest(name = "permute {0} by {1}")
    @CsvSource({"2x3x5x7, 0 2 3 1", "2x3x5x7, 3 1 0 2", "4x77, 1 0", "2x1x3x2x4x5, 5 4 3 2 1 0"})
    void permuteIsTheCpus(String dims, String order) {
        Shape s = shape(dims);
        int[] axes = java.util.Arrays.stream(order.split(" ")).mapToInt(Integer::parseInt).toArray();
        float[] x = random((int) s.size(), 1);
        int[] src = contiguous(s.dims());
        int[] outDims = new int[axes.length];
        int[] inStrides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            outDims[i] = s.dim(axes[i]);
            inStrides[i] = src[axes[i]];
        }
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(x.length * 4L);
        stridedCopy(in, out, outDims, inStrides, contiguous(outDims), 0, 0);
        assertBits("permute", cpu.permute(cpu.fromArray(x, s), axes).toArray(), download(out, x.length));
        free(in, out);
    }

    @ParameterizedTest(name = "narrow {0} along {1} from {2}, {3} long")
    @CsvSource({"4x9x6, 1, 2, 5", "4x9x6, 0, 3, 1", "4x9x6, 2, 0, 6", "300, 0, 17, 260"})
    void narrowIsTheCpus(String dims, int axis, int start, int length) {
        Shape s = shape(dims);
        float[] x = random((int) s.size(), 1);
        int[] src = contiguous(s.dims());
        int[] outDims = s.with(axis, length).dims();
        DeviceBuffer in = upload(x);
        int n = (int) s.with(axis, length).size();
        DeviceBuffer out = device.allocate(n * 4L);
        stridedCopy(in, out, outDims, src, contiguous(outDims), (long) start * src[axis], 0);
        assertBits("narrow", cpu.narrow(cpu.fromArray(x, s), axis, start, length).toArray(), download(out, n));
        free(in, out);
    }

    @ParameterizedTest(name = "concat along {0}")
    @ValueSource(ints = {0, 1, 2})
    void concatIsOneCopyPerPart(int axis) {
        int[][] partDims = {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}};
        int[] sizes = {3, 5, 1};
        Shape[] shapes = new Shape[3];
        var tensors = new io.stipple.tensor.Tensor[3];
        float[][] data = new float[3][];
        int total = 0;
        for (int p = 0; p < 3; p++) {
            partDims[p][axis] = sizes[p];
            shapes[p] = Shape.of(partDims[p]);
            data[p] = random((int) shapes[p].size(), 1);
            tensors[p] = cpu.fromArray(data[p], shapes[p]);
            total += sizes[p];
        }
        int[] outDims = shapes[0].with(axis, total).dims();
        int[] outStrides = contiguous(outDims);
        int n = (int) Shape.of(outDims).size();
        DeviceBuffer out = device.allocate(n * 4L);
        int at = 0;
        for (int p = 0; p < 3; p++) {
            DeviceBuffer in = upload(data[p]);
            stridedCopy(in, out, partDims[p], contiguous(partDims[p]), outStrides, 0, (long) at * outStrides[axis]);
            at += sizes[p];
            free(in);
        }
        assertBits("concat", cpu.concat(axis, tensors).toArray(), download(out, n));
        free(out);
    }

    @ParameterizedTest(name = "pad2d left {0} right {1} top {2} bottom {3}")
    @CsvSource({"1, 1, 1, 1", "0, 3, 2, 0", "0, 0, 0, 0"})
    void pad2dIsAFillAndACopyIntoTheInterior(int left, int right, int top, int bottom) {
        int planes = 6;
        int h = 5;
        int w = 7;
        int oh = h + top + bottom;
        int ow = w + left + right;
        float[] x = random(planes * h * w, 1);
        DeviceBuffer in = upload(x);
        int n = planes * oh * ow;
        DeviceBuffer out = device.allocate(n * 4L);
        device.launch(Kernel.FILL_F32, Dim3.of(2), Dim3.of(32), KernelArg.of(out), KernelArg.of(0f), KernelArg.of((long) n));
        stridedCopy(in, out, new int[] {planes, h, w}, contiguous(new int[] {planes, h, w}), new int[] {oh * ow, ow, 1}, 0, (long) top * ow + left);
        assertBits("pad2d", cpu.pad2d(cpu.fromArray(x, Shape.of(2, 3, h, w)), left, right, top, bottom).toArray(), download(out, n));
        free(in, out);
    }

    @ParameterizedTest(name = "embedding of a {0} table")
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void embeddingGathersRowsAsTheCpu(DType dtype) {
        int vocab = 50;
        int dim = 77;
        int[] ids = {vocab - 1, 0, 7, 49, 7, 13, 0};
        float[] table = random(vocab * dim, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate((long) vocab * dim * dtype.byteSize());
            for (int i = 0; i < table.length; i++) {
                switch (dtype) {
                    case BF16 -> bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, bf16(table[i]));
                    case F16 -> bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(table[i]));
                    default -> bytes.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, table[i]);
                }
            }
            DeviceBuffer dt = device.allocate(bytes.byteSize());
            device.copyToDevice(bytes, dt);
            DeviceBuffer di = upload(ids);
            DeviceBuffer out = device.allocate((long) ids.length * dim * 4);
            Kernel k = switch (dtype) {
                case BF16 -> Kernel.EMBEDDING_BF16;
                case F16 -> Kernel.EMBEDDING_F16;
                default -> Kernel.EMBEDDING_F32;
            };
            device.launch(k, Dim3.of(2), Dim3.of(96), KernelArg.of(dt), KernelArg.of(di), KernelArg.of(out), KernelArg.of(ids.length),
                    KernelArg.of(dim));
            float[] expected = cpu.embedding(cpu.fromBytes(bytes, dtype, Shape.of(vocab, dim)), ids).toArray();
            assertBits("embedding " + dtype, expected, download(out, ids.length * dim));
            free(dt, di, out);
        }
    }

    // ---- steps ---------------------------------------------------------------------------------

    @Test
    void weightTokensIsTheCpusBitForBit() {
        int n = 2;
        int tokens = 77;
        int width = 33;
        float[] z = random(n * tokens * width, 1);
        float[] empty = random(tokens * width, 1);
        float[] weights = new float[n * tokens];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 3 == 0 ? 1f : 0.5f + RANDOM.nextFloat(); // some rows copied unchanged
        }
        weights[1] = 1.1f;
        DeviceBuffer dz = upload(z);
        DeviceBuffer de = upload(empty);
        DeviceBuffer dw = upload(weights);
        DeviceBuffer out = device.allocate(z.length * 4L);
        device.launch(Kernel.WEIGHT_TOKENS, Dim3.of(4), Dim3.of(256), KernelArg.of(dz), KernelArg.of(de), KernelArg.of(dw), KernelArg.of(out),
                KernelArg.of(n * tokens), KernelArg.of(tokens), KernelArg.of(width));
        float[] expected = cpu.weightTokens(cpu.fromArray(z, Shape.of(n, tokens, width)), cpu.fromArray(empty, Shape.of(1, tokens, width)), weights)
                .toArray();
        assertBits("weightTokens", expected, download(out, z.length));
        free(dz, de, dw, out);
    }

    @ParameterizedTest(name = "blend tiles, feather {0}")
    @ValueSource(ints = {1, 4, 9})
    void blendTilesIsTheCpusBitForBit(int feather) {
        int channels = 3;
        int height = 20;
        int width = 27;
        int[][] tiles = {{12, 16, 0, 0}, {12, 16, 0, 11}, {12, 16, 8, 0}, {12, 16, 8, 11}, {5, 5, 7, 9}}; // th, tw, top, left
        java.util.List<io.stipple.tensor.Tensor> cpuTiles = new java.util.ArrayList<>();
        int[] tops = new int[tiles.length];
        int[] lefts = new int[tiles.length];
        int plane = height * width;
        DeviceBuffer sum = device.allocate((long) channels * plane * 4);
        DeviceBuffer weight = device.allocate(plane * 4L);
        device.launch(Kernel.FILL_F32, Dim3.of(4), Dim3.of(256), KernelArg.of(sum), KernelArg.of(0f), KernelArg.of((long) channels * plane));
        device.launch(Kernel.FILL_F32, Dim3.of(4), Dim3.of(256), KernelArg.of(weight), KernelArg.of(0f), KernelArg.of((long) plane));
        for (int i = 0; i < tiles.length; i++) {
            int th = tiles[i][0];
            int tw = tiles[i][1];
            tops[i] = tiles[i][2];
            lefts[i] = tiles[i][3];
            float[] t = random(channels * th * tw, 1);
            cpuTiles.add(cpu.fromArray(t, Shape.of(1, channels, th, tw)));
            DeviceBuffer dt = upload(t);
            device.launch(Kernel.BLEND_TILE_ACCUMULATE, Dim3.of(2), Dim3.of(64), KernelArg.of(dt), KernelArg.of(sum), KernelArg.of(weight),
                    KernelArg.of(channels), KernelArg.of(th), KernelArg.of(tw), KernelArg.of(tops[i]), KernelArg.of(lefts[i]), KernelArg.of(feather),
                    KernelArg.of(height), KernelArg.of(width));
            free(dt);
        }
        device.launch(Kernel.BLEND_TILES_DIVIDE, Dim3.of(3), Dim3.of(128), KernelArg.of(sum), KernelArg.of(weight), KernelArg.of(channels),
                KernelArg.of((long) plane));
        float[] expected = cpu.blendTiles(cpuTiles, tops, lefts, height, width, feather).toArray();
        assertBits("blendTiles", expected, download(sum, channels * plane));
        free(sum, weight);
    }
}
