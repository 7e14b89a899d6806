package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A float field read as the decimal that was written: ComfyUI's int(steps / denoise) with a Python double. */
class RequestDecimalTest {
    @ParameterizedTest(name = "{0} steps at denoise {1}: a schedule of {2} (the float itself gives {3})")
    @CsvSource({"6, 0.6, 10, 9", "20, 0.8, 25, 24", "20, 0.4, 50, 49"})
    void denoiseSchedulesAsComfyUi(int steps, float denoise, int comfyUiSteps, int floatSteps) {
        assertEquals(comfyUiSteps, (int) (steps / RequestDecimal.of(denoise)));
        assertEquals(floatSteps, (int) (steps / (double) denoise), "the bug this fixes: float32 0.6 is 0.6000000238");
    }

    @ParameterizedTest
    @CsvSource({"0.3, 0.3", "0.6, 0.6", "1.0, 1.0", "0.123456, 0.123456", "7.5, 7.5"})
    void theShortestDecimalIsTheOneWritten(float sent, double written) {
        assertEquals(written, RequestDecimal.of(sent));
    }
}
