package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row and activation kernels: softmax, layer and group norm (with fused SiLU), GEGLU, the timestep
 * embedding and attention, against double-precision definitions or the CPU backend, on rows shorter
 * than a warp and longer than a block.
 */
abstract class NormalizationKernelsContract extends KernelTestSupport {
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


    @ParameterizedTest(name = "{0}, head size {1}, causal {2}, {3} keys")
    @org.junit.jupiter.params.provider.CsvSource({"ATTENTION_ROWS_64, 4, false, 23", "ATTENTION_ROWS_64, 8, true, 70",
        "ATTENTION_ROWS_64, 40, false, 75", "ATTENTION_ROWS_64, 64, true, 70", "ATTENTION_ROWS, 40, false, 23", "ATTENTION_ROWS, 64, true, 70",
        "ATTENTION_ROWS, 80, false, 75", "ATTENTION_ROWS, 160, false, 33"})
    void attentionMatchesTheCpuBackend(Kernel kernel, int d, boolean causal, int nk) {
        // 70 queries cross the 64-thread block; 33, 70 and 75 keys cross the 32-key tiles, with remainders
        int batch = 2;
        int heads = 2;
        int nq = 70;
        int width = heads * d;
        float[] q = random(batch * nq * width, 1);
        float[] k = random(batch * nk * width, 1);
        float[] v = random(batch * nk * width, 1);
        DeviceBuffer dq = upload(q);
        DeviceBuffer dk = upload(k);
        DeviceBuffer dv = upload(v);
        DeviceBuffer out = device.allocate(q.length * 4L);
        device.launch(kernel, new Dim3(batch * heads, (nq + 63) / 64, 1), Dim3.of(64), KernelArg.of(dq), KernelArg.of(dk),
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

}
