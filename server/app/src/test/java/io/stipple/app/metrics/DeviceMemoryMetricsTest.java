package io.stipple.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.CudaBackends;
import io.stipple.tensor.cuda.ops.CudaOps;
import org.junit.jupiter.api.Test;

/** The device memory gauges: present on a CUDA backend (here the emulated device), following its allocations; absent on the CPU. */
class DeviceMemoryMetricsTest {
    @Test
    void aCudaBackendsMemoryIsScraped() {
        CudaOps ops = CudaBackends.emulated();
        ServerMetrics metrics = ServerMetrics.standalone();
        DeviceMemoryMetrics.register(metrics, ops);
        Tensor t = ops.zeros(Shape.of(1024)); // 4 KiB, a size class of its own
        assertEquals(4096, value(metrics, "stipple_device_memory_in_use_bytes"));
        t.close();
        assertEquals(0, value(metrics, "stipple_device_memory_in_use_bytes"));
        assertEquals(4096, value(metrics, "stipple_device_memory_cached_bytes"));
        assertEquals(4096, value(metrics, "stipple_device_memory_peak_bytes"));
    }

    @Test
    void theCpuBackendAddsNoDeviceGauges() {
        ServerMetrics metrics = ServerMetrics.standalone();
        DeviceMemoryMetrics.register(metrics, new CpuOps());
        assertTrue(metrics.registry().scrape().stream().noneMatch(m -> m.getMetadata().getName().startsWith("stipple_device_memory")));
    }

    private static double value(ServerMetrics metrics, String name) {
        for (MetricSnapshot m : metrics.registry().scrape()) {
            if (m.getMetadata().getPrometheusName().equals(name) && m instanceof GaugeSnapshot g) {
                return g.getDataPoints().getFirst().getValue();
            }
        }
        throw new AssertionError("no gauge " + name);
    }
}
