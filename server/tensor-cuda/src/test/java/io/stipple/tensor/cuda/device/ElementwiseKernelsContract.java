package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.rules.Broadcast;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The elementwise kernels: conversions, broadcasting binary and scalar ops, clamp, every UnaryOp,
 * and the reductions, against the CPU backend (bit for bit where the CPU rounds the same way).
 */
abstract class ElementwiseKernelsContract extends KernelTestSupport {
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
                new KernelArg.Ints(meta), KernelArg.of(code), KernelArg.of((long) n));
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
        free(da, db, dout);
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

}
