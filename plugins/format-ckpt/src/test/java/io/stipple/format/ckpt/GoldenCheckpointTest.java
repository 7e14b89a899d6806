package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The golden SD1.5 checkpoint as a ckpt is, tensor for tensor, the same checkpoint as a safetensors. */
class GoldenCheckpointTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void sd15TinyCkptEqualsItsSafetensors() throws Exception {
        GoldenTensors golden = GoldenTensors.read(Golden.path("models/sd15_tiny.safetensors"));
        try (TensorIndex index = new CkptFormat().open(Golden.path("models/sd15_tiny.ckpt"))) {
            Set<String> names = index.tensors().stream().map(TensorInfo::name).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(golden.names()), names, "tensor names");
            assertEquals(golden.names().size(), index.tensors().size(), "no tensor twice");
            for (TensorInfo info : index.tensors()) {
                GoldenTensors.Entry want = golden.entry(info.name());
                assertEquals(DType.fromSafetensorsName(want.dtype()).orElseThrow(), info.dtype(), info.name());
                assertArrayEquals(want.shape(), info.shape().dims(), info.name());
                MemorySegment bytes = index.bytes(info.name());
                assertEquals(info.byteSize(), bytes.byteSize(), info.name());
                float[] values = want.values();
                for (int i = 0; i < values.length; i++) {
                    float got = bytes.getAtIndex(F32, i);
                    if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(values[i])) {
                        fail(info.name() + "[" + i + "]: " + got + " (expected: " + values[i] + ")");
                    }
                }
            }
        }
    }
}
