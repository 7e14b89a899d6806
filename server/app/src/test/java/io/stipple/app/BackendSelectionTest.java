package io.stipple.app;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.config.Backend;
import io.stipple.app.guice.CpuBackendModule;
import io.stipple.tensor.cuda.CudaProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** --backend: cuda without a GPU is refused with the reason; auto falls back to the CPU and says so. */
class BackendSelectionTest {
    private static final CudaProbe.Result NO_GPU = new CudaProbe.Unavailable("no NVIDIA driver here: libcuda.so.1 cannot be loaded");

    @Test
    void cudaWithoutAGpuIsRefusedWithTheReason() {
        var e = assertThrows(BackendUnavailableException.class, () -> Main.backendModule(Backend.CUDA, NO_GPU));
        assertTrue(e.getMessage().equals("--backend cuda: no usable GPU: no NVIDIA driver here: libcuda.so.1 cannot be loaded"), e.getMessage());
    }

    @Test
    void cudaWithAGpuButNoBackendInThisBuildIsRefusedToo() {
        var gpu = new CudaProbe.Available("13.0", List.of(new CudaProbe.Device(0, "NVIDIA H200", 9, 0, 141L << 30)));
        var e = assertThrows(BackendUnavailableException.class, () -> Main.backendModule(Backend.CUDA, gpu));
        assertTrue(e.getMessage().contains("NVIDIA H200") && e.getMessage().contains("no CUDA backend yet"), e.getMessage());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(Main.class.getName());
        log.addHandler(handler);
        try {
            assertInstanceOf(CpuBackendModule.class, Main.backendModule(Backend.AUTO, NO_GPU));
        } finally {
            log.removeHandler(handler);
        }
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("no usable GPU (no NVIDIA driver here") && r.getMessage().contains("using the CPU")),
                records.toString());
        assertInstanceOf(CpuBackendModule.class, Main.backendModule(Backend.CPU, NO_GPU));
    }
}
