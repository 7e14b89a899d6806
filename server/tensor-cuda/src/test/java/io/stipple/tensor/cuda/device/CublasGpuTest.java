package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** cuBLAS through FFM on the GPU's stream: a row-major sgemm against the CPU backend's. */
@Tag("gpu")
class CublasGpuTest {
    @Test
    void sgemmMatchesTheCpu() {
        int m = 77;
        int n = 130;
        int k = 64;
        Random r = new Random(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        try (JCudaDevice device = JCudaDevice.open(0); Cublas blas = new Cublas(device)) {
            DeviceBuffer da = device.allocate(a.length * 4L);
            DeviceBuffer db = device.allocate(b.length * 4L);
            DeviceBuffer dc = device.allocate(m * n * 4L);
            device.copyToDevice(MemorySegment.ofArray(a), da);
            device.copyToDevice(MemorySegment.ofArray(b), db);
            blas.sgemm(da, db, dc, m, n, k);
            float[] c = new float[m * n];
            device.copyToHost(dc, MemorySegment.ofArray(c));
            var cpu = new io.stipple.tensor.cpu.CpuOps();
            float[] expected = cpu.matmul(cpu.fromArray(a, io.stipple.tensor.Shape.of(m, k)), cpu.fromArray(b, io.stipple.tensor.Shape.of(k, n)))
                    .toArray();
            double worst = 0;
            for (int i = 0; i < c.length; i++) {
                worst = Math.max(worst, Math.abs(c[i] - expected[i]));
            }
            // TF32 is off by default for CUBLAS_COMPUTE_32F: float32 accuracy
            assertTrue(worst < 1e-3, "largest difference " + worst + "; first values expected " + expected[0] + ", got " + c[0]);
        }
    }
}
