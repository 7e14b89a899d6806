package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.Extension;

class SafetensorsFormatTest {
    private final SafetensorsFormat format = new SafetensorsFormat();

    @TempDir
    Path dir;

    @Test
    void nameAndExtensions() {
        assertEquals("safetensors", format.name());
        assertEquals(List.of(".safetensors", ".sft"), format.extensions());
        assertTrue(format.canWrite());
        assertTrue(SafetensorsFormat.class.isAnnotationPresent(Extension.class));
        assertTrue(CheckpointFormat.class.isAssignableFrom(SafetensorsFormat.class));
    }

    /** PF4J finds extensions through this index; it exists only if the annotation processor ran. */
    @Test
    void annotationProcessorListedTheExtension() throws IOException {
        Path index = Path.of("target/classes/META-INF/extensions.idx");
        assertTrue(Files.isRegularFile(index), index.toAbsolutePath() + " is missing: PF4J's annotation processor did not run");
        assertTrue(Files.readAllLines(index).contains(SafetensorsFormat.class.getName()),
                index + " does not list " + SafetensorsFormat.class.getName() + ": " + Files.readAllLines(index));
    }

    @Test
    void canReadSniffsTheLengthAndTheBrace() {
        Path file = dir.resolve("x");
        byte[] valid = TestFiles.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertTrue(format.canRead(file, head(valid)));
        assertTrue(format.canRead(file, head(TestFiles.file("{}", 0))), "the smallest file");
        byte[] big = TestFiles.concat(TestFiles.lengthPrefix(5_000_000), "{\"".getBytes(), new byte[100]);
        assertTrue(format.canRead(file, head(big)), "a 64-byte head of a big header");

        assertFalse(format.canRead(file, head(new byte[0])));
        assertFalse(format.canRead(file, head(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, '{'})), "9 bytes");
        assertFalse(format.canRead(file, head(TestFiles.file("[]", 0))), "no brace");
        assertFalse(format.canRead(file, head(TestFiles.file(" {}", 0))), "space before the brace");
        assertFalse(format.canRead(file, head(TestFiles.concat(TestFiles.lengthPrefix(100_000_001), "{}".getBytes(), new byte[60]))),
                "header over the limit");
        assertFalse(format.canRead(file, head(TestFiles.concat(TestFiles.lengthPrefix(-1), "{}".getBytes(), new byte[60]))),
                "header length 2^64-1");
        assertFalse(format.canRead(file, head(TestFiles.concat(TestFiles.lengthPrefix(40), "{}".getBytes()))),
                "a whole file shorter than its header");
        byte[] zip = "PK\u0003\u0004 a torch zip checkpoint, not safetensors.................".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(format.canRead(file, head(zip)));
        byte[] pickle = new byte[64];
        pickle[0] = (byte) 0x80;
        pickle[1] = 2;
        assertFalse(format.canRead(file, head(pickle)));
    }

    @Test
    void canReadHonoursTheBufferPositionAndLeavesItAlone() {
        byte[] valid = TestFiles.file("{}", 0);
        ByteBuffer shifted = ByteBuffer.allocate(valid.length + 3).position(3).put(valid).position(3);
        assertTrue(format.canRead(dir.resolve("x"), shifted));
        assertEquals(3, shifted.position());
    }

    @Test
    void bytesOfAnUnknownTensorAndAfterClose() throws IOException {
        Path file = dir.resolve("one.safetensors");
        format.write(file, List.of(TestFiles.tensor("w", DType.F32, new Random(1), 2).entry()), Map.of());
        TensorIndex index = format.open(file);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> index.bytes("v"));
        assertEquals("no tensor 'v' in one.safetensors (it has 1 tensors)", unknown.getMessage());
        MemorySegment before = index.bytes("w");
        index.close();
        index.close(); // closing twice is harmless
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> index.bytes("w"));
        assertEquals("one.safetensors is closed", closed.getMessage());
        assertThrows(IllegalStateException.class, () -> before.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0),
                "slices die with the mapping");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> format.open(dir.resolve("absent.safetensors")));
    }

    @Test
    void writeRefusesASegmentOfTheWrongSizeAndLeavesNoFile() {
        Path file = dir.resolve("bad.safetensors");
        TensorInfo info = new TensorInfo("w", DType.F32, Shape.of(2, 2));
        TensorEntry shortEntry = new TensorEntry(info, () -> MemorySegment.ofArray(new byte[12]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.write(file, List.of(TestFiles.tensor("ok", DType.F16, new Random(2), 8).entry(), shortEntry), Map.of()));
        assertEquals("tensor 'w': supplied 12 bytes (expected: 16 for F32 [2, 2])", e.getMessage());
        assertFalse(Files.exists(file), "the partial file is deleted");

        TensorEntry nullEntry = new TensorEntry(info, () -> null);
        e = assertThrows(IllegalArgumentException.class, () -> format.write(file, List.of(nullEntry), Map.of()));
        assertEquals("tensor 'w': supplied no segment (expected: 16 for F32 [2, 2])", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void writeRefusesDuplicateAndReservedNamesBeforeTouchingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("keep.safetensors"), "previous content");
        TensorEntry w = TestFiles.tensor("w", DType.F32, new Random(3), 1).entry();
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> format.write(file, List.of(w, w), Map.of()));
        assertEquals("duplicate tensor name 'w'", dup.getMessage());
        TensorEntry reserved = TestFiles.tensor("__metadata__", DType.F32, new Random(3), 1).entry();
        IllegalArgumentException res = assertThrows(IllegalArgumentException.class,
                () -> format.write(file, List.of(reserved), Map.of()));
        assertEquals("tensor name '__metadata__' is reserved for the metadata", res.getMessage());
        TensorEntry loneSurrogate = TestFiles.tensor("bad\ud800name", DType.F32, new Random(3), 1).entry();
        IllegalArgumentException uni = assertThrows(IllegalArgumentException.class,
                () -> format.write(file, List.of(loneSurrogate), Map.of()));
        assertTrue(uni.getMessage().contains("not valid Unicode"), uni.getMessage());
        assertEquals("previous content", Files.readString(file));
    }

    @Test
    void writeRefusesATensorWhoseByteSizeOverflows() {
        TensorInfo huge = new TensorInfo("huge", DType.F64, Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> format.write(
                dir.resolve("huge.safetensors"), List.of(new TensorEntry(huge, () -> MemorySegment.NULL)), Map.of()));
        assertEquals("tensor 'huge': shape [2147483647, 2147483647, 4] of F64 overflows 64-bit byte size", e.getMessage());
    }

    private static ByteBuffer head(byte[] file) {
        return ByteBuffer.wrap(Arrays.copyOf(file, Math.min(64, file.length)));
    }
}
