package io.stipple.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CudaProbeTest {

    @Test
    void probeNeverThrowsAndExplainsAbsence() {
        CudaProbe.Result result = CudaProbe.probe();
        assertNotNull(result);
        if (result instanceof CudaProbe.Unavailable u) {
            assertFalse(u.reason().isBlank(), "an unavailable GPU comes with a reason");
        }
    }

    @Test
    @Tag("gpu")
    void findsTheGpuWhereThereIsOne() {
        CudaProbe.Result result = CudaProbe.probe();
        assertTrue(result instanceof CudaProbe.Available a && !a.devices().isEmpty(), "expected a GPU: " + result);
    }
}
