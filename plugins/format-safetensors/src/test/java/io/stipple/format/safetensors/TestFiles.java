package io.stipple.format.safetensors;

import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Builds safetensors files byte by byte for the tests, valid or not. */
final class TestFiles {
    private TestFiles() {}

    /** A file: the header's UTF-8 bytes with their length prefix, then {@code dataBytes} bytes 0, 1, 2, ... */
    static byte[] file(String header, int dataBytes) {
        byte[] data = new byte[dataBytes];
        for (int i = 0; i < dataBytes; i++) {
            data[i] = (byte) i;
        }
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(byte[] header, byte[] data) {
        return concat(lengthPrefix(header.length), header, data);
    }

    static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tensor entry with seeded random bytes, and those bytes. */
    record Tensor(TensorEntry entry, byte[] bytes) {
        TensorInfo info() {
            return entry.info();
        }
    }

    static Tensor tensor(String name, DType dtype, Random random, int... dims) {
        TensorInfo info = new TensorInfo(name, dtype, Shape.of(dims));
        byte[] bytes = new byte[Math.toIntExact(info.byteSize())];
        random.nextBytes(bytes);
        return new Tensor(new TensorEntry(info, () -> MemorySegment.ofArray(bytes.clone())), bytes);
    }
}
