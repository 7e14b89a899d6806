package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 3 GB file (sparse on disk) opens in milliseconds and is read through the mapping, past 2 GB. */
class LargeFileTest {
    private static final long BIG = 3L << 30; // 3 GiB of U8: offsets past Integer.MAX_VALUE

    @TempDir
    Path dir;

    @Test
    void opensAMultiGigabyteFileWithoutReadingIt() throws IOException {
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[1073741824,3],\"data_offsets\":[0," + BIG + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + BIG + "," + (BIG + 8) + "]}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + headerBytes.length;
        Path file = dir.resolve("big.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(TestFiles.file(headerBytes, new byte[0])));
            ch.write(ByteBuffer.wrap(new byte[] {42}), dataStart + BIG - 1); // the last byte of "big"
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), dataStart + BIG);
        }
        long start = System.nanoTime();
        try (TensorIndex index = new SafetensorsFormat().open(file)) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "opening took " + millis + " ms");
            MemorySegment big = index.bytes("big");
            assertEquals(BIG, big.byteSize());
            assertTrue(big.isMapped());
            assertEquals(42, big.get(ValueLayout.JAVA_BYTE, BIG - 1));
            assertEquals(0, big.get(ValueLayout.JAVA_BYTE, 1L << 31));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, index.bytes("tail").toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
