package io.stipple.tensor.random;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link TorchGenerator} against torch's own outputs in {@code testdata/golden/rng}, bit for bit. */
class TorchGeneratorGoldenTest {
    private static final GoldenTensors GOLDEN = Golden.tensors("rng/data.safetensors");
    private static final Pattern RANDN = Pattern.compile("randn_seed(\\d+)_([\\dx]+)");

    /** Every {@code randn_seed{S}_{shape}}: torch.manual_seed(S); torch.randn(shape). */
    @TestFactory
    List<DynamicTest> randnMatchesTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : GOLDEN.names()) {
            Matcher m = RANDN.matcher(name);
            if (!m.matches()) {
                continue;
            }
            long seed = Long.parseLong(m.group(1));
            int[] shape = GOLDEN.shape(name);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                float[] actual = new TorchGenerator(seed).randn(shape);
                assertExact(name, GOLDEN.floats(name), actual);
            }));
        }
        assertFalse(tests.size() < 28, "expected 28 randn goldens, found " + tests.size());
        return tests;
    }

    /** Consecutive draws from one generator: the scalar path's cached value and the block path's state use. */
    @Test
    void consecutiveDrawsMatchTorchSequence() {
        TorchGenerator g = new TorchGenerator(42);
        String[] names = {"sequence_seed42_draw0_7", "sequence_seed42_draw1_1x4x8x8", "sequence_seed42_draw2_3",
                "sequence_seed42_draw3_2x4x16x16", "sequence_seed42_draw4_20"};
        for (String name : names) {
            int[] shape = GOLDEN.shape(name);
            assertExact(name, GOLDEN.floats(name), g.randn(shape));
        }
    }

    @Test
    void explicitGeneratorMatchesTorch() {
        assertExact("generator_seed42_1x4x8x8", GOLDEN.floats("generator_seed42_1x4x8x8"),
                new TorchGenerator(42).randn(1, 4, 8, 8));
    }

    @Test
    void randMatchesTorch() {
        assertExact("rand_seed42_20", GOLDEN.floats("rand_seed42_20"), new TorchGenerator(42).rand(20));
        assertArrayEquals(new int[] {20}, GOLDEN.shape("rand_seed42_20"));
    }
}
