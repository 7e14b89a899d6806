package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import io.stipple.tensor.testing.TensorAssert;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tiny checkpoints ComfyUI saved (testdata/golden/models), read through the plugin. */
class GoldenModelsTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @CsvSource({"sd15_tiny, 518, sd15, 1000", "sd15_tiny_b, 286, sd15, 2000", "sdxl_tiny, 703, sdxl, 3000"})
    void readsEveryTensorAsGoldenTensorsDoes(String model, int count, String kind, String seed) throws IOException {
        Path file = Golden.path("models/" + model + ".safetensors");
        SafetensorsFormat format = new SafetensorsFormat();
        assertTrue(format.canRead(file, head(file)));
        GoldenTensors golden = GoldenTensors.read(file);
        try (TensorIndex index = format.open(file)) {
            assertEquals(count, index.tensors().size());
            assertEquals(kind, index.metadata().get("kind"));
            assertEquals(seed, index.metadata().get("seed"));
            assertEquals(List.copyOf(golden.names()), index.tensors().stream().map(TensorInfo::name).toList(),
                    "tensors in the header's order");
            for (TensorInfo info : index.tensors()) {
                GoldenTensors.Entry expected = golden.entry(info.name());
                assertEquals(expected.dtype(), info.dtype().safetensorsName(), info.name());
                assertArrayEquals(expected.shape(), info.shape().dims(), info.name());
                MemorySegment bytes = index.bytes(info.name());
                assertEquals(info.byteSize(), bytes.byteSize(), info.name());
                if (info.dtype() == DType.I64) {
                    assertArrayEquals(expected.longs(), bytes.toArray(I64), info.name());
                } else {
                    TensorAssert.assertExact(info.name(), expected.values(), bytes.toArray(F32));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sd15_tiny   | model.diffusion_model.input_blocks.0.0.weight | F32 | 32,4,3,3",
        "sd15_tiny   | cond_stage_model.transformer.text_model.embeddings.token_embedding.weight | F32 | 49408,32",
        "sd15_tiny   | first_stage_model.decoder.conv_out.weight | F32 | 3,32,3,3",
        "sd15_tiny_b | model.diffusion_model.out.2.weight | F32 | 4,32,3,3",
        "sdxl_tiny   | conditioner.embedders.0.transformer.text_model.embeddings.position_ids | I64 | 1,77",
        "sdxl_tiny   | conditioner.embedders.1.model.text_projection | F32 | 32,32",
        "sdxl_tiny   | model.diffusion_model.label_emb.0.0.weight | F32 | 128,1568",
    })
    void knownTensors(String model, String name, String dtype, String dims) throws IOException {
        Path file = Golden.path("models/" + model + ".safetensors");
        int[] shape = Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        try (TensorIndex index = new SafetensorsFormat().open(file)) {
            assertEquals(new TensorInfo(name, DType.valueOf(dtype), Shape.of(shape)), index.info(name).orElseThrow());
        }
    }

    @Test
    void positionIdsAreZeroToSeventySix() throws IOException {
        Path file = Golden.path("models/sdxl_tiny.safetensors");
        try (TensorIndex index = new SafetensorsFormat().open(file)) {
            long[] ids = index.bytes("conditioner.embedders.0.transformer.text_model.embeddings.position_ids").toArray(I64);
            assertEquals(77, ids.length);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(i, ids[i], "position id " + i);
            }
            assertEquals("refs/golden/make_checkpoints.py", index.metadata().get("generator"));
        }
    }

    private static ByteBuffer head(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            channel.read(head, 0);
            return head.flip();
        }
    }
}
