package io.stipple.sampling.kdiffusion.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.sampling.kdiffusion.testing.Fixtures;
import io.stipple.tensor.testing.GoldenTensors;
import io.stipple.tensor.testing.TensorAssert;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TorchLinspaceTest {
    private static final GoldenTensors FIXTURE = Fixtures.read("scheduler_fixture.safetensors");

    static List<String> cases() {
        return FIXTURE.names().stream().filter(n -> n.startsWith("linspace/")).toList();
    }

    /** Bit for bit, including the vectorized blocks of long ranges (10 000 points). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorchBitForBit(String name) {
        String[] parts = name.substring("linspace/".length()).split("_");
        float[] actual = TorchLinspace.of(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Integer.parseInt(parts[2]));
        TensorAssert.assertExact(name, FIXTURE.floats(name), actual);
    }

    @Test
    void handlesEmptyAndSingleRanges() {
        assertEquals(0, TorchLinspace.of(0, 1, 0).length);
        assertArrayEquals(new float[] {3f}, TorchLinspace.of(3, 9, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchLinspace.of(0, 1, -1));
        assertEquals("steps: -1 (expected: at least 0)", e.getMessage());
    }
}
