package io.stipple.tensor.cuda.device;

import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GEMM on the device (cuBLAS, or the host BLAS when emulated) with either operand transposed, and
 * a convolution as im2col and GEMM, against the CPU backend.
 */
abstract class LinearAlgebraKernelsContract extends KernelTestSupport {
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

}
