package io.stipple.tensor.random;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.testing.GoldenTensors;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TorchGenerator} against torch for what the ComfyUI goldens leave out: seeds above 2^31, 2^32
 * and 2^63, negative seeds, every element count 0..48 drawn in sequence from one generator, 0-d and
 * empty shapes. The fixture and the script that made it are next to this class's resources.
 */
class TorchGeneratorExtraFixtureTest {
    private static final Pattern NAME = Pattern.compile("seed=(-?\\d+)/draw=(\\d+)/(randn|rand)");

    @TestFactory
    List<DynamicTest> sequencesMatchTorch() throws URISyntaxException {
        GoldenTensors fixture = GoldenTensors.read(Path.of(
                TorchGeneratorExtraFixtureTest.class.getResource("torch_rng_extra.safetensors").toURI()));
        Map<String, List<String>> bySeed = new LinkedHashMap<>();
        for (String name : fixture.names()) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected fixture tensor " + name);
            }
            bySeed.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(name);
        }
        assertEquals(12, bySeed.size(), "seeds in the fixture");
        List<DynamicTest> tests = new ArrayList<>();
        bySeed.forEach((seedText, names) -> tests.add(DynamicTest.dynamicTest("seed " + seedText, () -> {
            // torch takes any 64-bit pattern; a Python int at or above 2^63 is the same bits as a negative long
            TorchGenerator g = new TorchGenerator(new BigInteger(seedText).longValue());
            names.sort(null); // draw numbers are zero-padded: this is draw order
            for (String name : names) {
                Matcher m = NAME.matcher(name);
                m.matches();
                int[] shape = fixture.shape(name);
                float[] actual = m.group(3).equals("randn") ? g.randn(shape) : g.rand(shape);
                assertExact(name, fixture.floats(name), actual);
            }
        })));
        return tests;
    }
}
