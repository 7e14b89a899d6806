package io.stipple.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.config.Backend;
import io.stipple.app.guice.CpuBackendModule;
import io.stipple.app.guice.CudaBackendModule;
import io.stipple.tensor.Ops;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.CudaBackends;
import io.stipple.tensor.cuda.CudaProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * --backend: cuda without a GPU, or with one the backend cannot start on, is refused with the reason;
 * auto uses the GPU when it opens and the CPU otherwise, and says which; cuda-emulated opens the
 * emulated device.
 */
class BackendSelectionTest {
    private static final CudaProbe.Result NO_GPU = new CudaProbe.Unavailable("no NVIDIA driver here: libcuda.so.1 cannot be loaded");
    private static final CudaProbe.Available H200 = new CudaProbe.Available("13.0",
            List.of(new CudaProbe.Device(0, "NVIDIA H200", 9, 0, 141L << 30)));
    /** Stands in for CudaOps on a GPU: the selection only passes it on. */
    private static final Ops FAKE_GPU_OPS = new CpuOps();
    private static final Function<CudaProbe.Available, Ops> GPU_OPENS = a -> FAKE_GPU_OPS;
    private static final Function<CudaProbe.Available, Ops> GPU_FAILS = a -> {
        throw new CudaBackends.UnavailableException("cuda: the GPU was found but the backend could not start: CUDA_ERROR_NO_BINARY_FOR_GPU");
    };
    private static final Supplier<Ops> NO_EMULATION = () -> {
        throw new AssertionError("the emulated device was not asked for");
    };

    @Test
    void cudaWithoutAGpuIsRefusedWithTheReason() {
        var e = assertThrows(BackendUnavailableException.class, () -> Main.backendModule(Backend.CUDA, NO_GPU, GPU_OPENS, NO_EMULATION));
        assertEquals("--backend cuda: no usable GPU: no NVIDIA driver here: libcuda.so.1 cannot be loaded", e.getMessage());
    }

    @Test
    void cudaWithAGpuItCannotStartOnIsRefusedWithTheReason() {
        var e = assertThrows(BackendUnavailableException.class, () -> Main.backendModule(Backend.CUDA, H200, GPU_FAILS, NO_EMULATION));
        assertEquals("--backend cuda: the GPU was found but the backend could not start: CUDA_ERROR_NO_BINARY_FOR_GPU", e.getMessage());
    }

    @Test
    void cudaWithAGpuServesOnIt() {
        var module = assertInstanceOf(CudaBackendModule.class, Main.backendModule(Backend.CUDA, H200, GPU_OPENS, NO_EMULATION));
        assertSame(FAKE_GPU_OPS, module.ops());
    }

    @Test
    void cudaEmulatedOpensTheEmulatedDevice() {
        var module = assertInstanceOf(CudaBackendModule.class, Main.backendModule(Backend.CUDA_EMULATED, NO_GPU, GPU_FAILS, CudaBackends::emulated));
        assertEquals("cuda-emulated", module.ops().name());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        List<LogRecord> records = logOf(() -> assertInstanceOf(CpuBackendModule.class, Main.backendModule(Backend.AUTO, NO_GPU, GPU_OPENS, NO_EMULATION)));
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("no usable GPU (no NVIDIA driver here") && r.getMessage().contains("using the CPU")),
                records.toString());
        assertInstanceOf(CpuBackendModule.class, Main.backendModule(Backend.CPU, NO_GPU, GPU_OPENS, NO_EMULATION));
    }

    @Test
    void autoWithAGpuItCannotStartOnUsesTheCpuAndSaysWhy() {
        List<LogRecord> records = logOf(() -> assertInstanceOf(CpuBackendModule.class, Main.backendModule(Backend.AUTO, H200, GPU_FAILS, NO_EMULATION)));
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("NVIDIA H200") && r.getMessage().contains("CUDA_ERROR_NO_BINARY_FOR_GPU")
                && r.getMessage().contains("using the CPU")), records.toString());
    }

    @Test
    void autoWithAGpuUsesIt() {
        assertInstanceOf(CudaBackendModule.class, Main.backendModule(Backend.AUTO, H200, GPU_OPENS, NO_EMULATION));
    }

    @Test
    void theBackendOptionNamesEveryChoice() {
        assertEquals(Backend.CUDA_EMULATED, Backend.parse("cuda-emulated"));
        assertEquals(Backend.CPU, Backend.parse(" CPU "));
        var e = assertThrows(IllegalArgumentException.class, () -> Backend.parse("tpu"));
        assertEquals("backend: tpu (expected: one of auto, cpu, cuda, cuda-emulated)", e.getMessage());
    }

    private static List<LogRecord> logOf(Runnable run) {
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
            run.run();
        } finally {
            log.removeHandler(handler);
        }
        return records;
    }
}
