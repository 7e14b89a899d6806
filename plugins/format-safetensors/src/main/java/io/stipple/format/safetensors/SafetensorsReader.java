package io.stipple.format.safetensors;

import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a safetensors file: reads the 8-byte little-endian header length and the header (the only
 * bytes copied to the heap), checks them and the layout of the data against the file's size, then
 * maps the data buffer. Opening costs the header, whatever the size of the file.
 */
final class SafetensorsReader {
    private SafetensorsReader() {}

    static TensorIndex open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointFormatException(file, "file is " + size
                        + " bytes, too short for a safetensors header (expected: at least 8 bytes)");
            }
            long headerLength = readFully(file, channel, ByteBuffer.allocate(8), 0).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (headerLength < 0 || headerLength > Header.MAX_BYTES) { // negative: over 2^63 unsigned
                throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is over the limit (expected: at most " + Header.MAX_BYTES + " bytes)");
            }
            if (headerLength > size - 8) {
                throw new CheckpointFormatException(file, "header length " + headerLength
                        + " runs past the end of the file (" + size + " bytes)");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            readFully(file, channel, ByteBuffer.wrap(headerBytes), 8);
            Header header = HeaderParser.parse(file, headerBytes);
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            DataLayout.check(file, header.entries(), dataLength);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLength, arena);
                return new MappedTensorIndex(file, arena, data, header);
            } catch (IOException | RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new CheckpointFormatException(file, "file ended at byte " + at + " while reading its header"
                        + " (it shrank while being opened)");
            }
            at += n;
        }
        return buffer;
    }
}
