package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of a small valid file: whatever the bytes, opening either succeeds (and every
 * tensor can then be read) or fails with a {@link CheckpointFormatException}; never another
 * exception, an error, or a hang. Bounded in count and in time.
 */
class FuzzTest {
    private static final long SEED = 20_251_130L;
    private static final int MUTATIONS = 4000;
    private static final long TIME_BUDGET_NANOS = 4_000_000_000L;
    private static final byte[] INTERESTING = "{}[]\":,\\-0123456789.eE tfn\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    @Test
    @Timeout(60) // a hang is a failure
    void mutatedFilesFailOnlyWithCheckpointFormatException() throws IOException {
        byte[] original = validFile();
        int headerLength = (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Random random = new Random(SEED);
        SafetensorsFormat format = new SafetensorsFormat();
        Path file = dir.resolve("fuzz.safetensors");
        int opened = 0;
        int refused = 0;
        long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
        int i = 0;
        for (; i < MUTATIONS && System.nanoTime() < deadline; i++) {
            byte[] mutant = random.nextBoolean()
                    ? mutateFile(original, random)
                    : mutateHeader(original, headerLength, random);
            Files.write(file, mutant);
            try (TensorIndex index = format.open(file)) {
                readEverything(index);
                opened++;
            } catch (CheckpointFormatException e) {
                assertTrue(e.getMessage().startsWith("fuzz.safetensors: "), e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail("mutation " + i + " (seed " + SEED + ") threw " + t + " for the file\n"
                        + HexFormat.ofDelimiter(" ").formatHex(mutant, 0, Math.min(mutant.length, 400)), t);
            }
        }
        System.out.printf("fuzz: %d mutations, %d opened, %d refused%n", i, opened, refused);
        assertEquals(i, opened + refused);
        assertTrue(i >= 500, "only " + i + " mutations ran in the time budget");
        assertTrue(refused > i / 4, "mutations should mostly break the file: " + refused + " of " + i);
        assertTrue(opened > 0, "some mutations (in data bytes, in whitespace) keep the file valid");
    }

    private static void readEverything(TensorIndex index) {
        for (TensorInfo info : index.tensors()) {
            byte[] bytes = index.bytes(info.name()).toArray(ValueLayout.JAVA_BYTE); // touches every mapped byte
            assertEquals(info.byteSize(), bytes.length, info.name());
        }
    }

    private byte[] validFile() throws IOException {
        Random random = new Random(1);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "ünï \"q\"");
        Path file = dir.resolve("valid.safetensors");
        new SafetensorsFormat().write(file, List.of(
                TestFiles.tensor("a.weight", DType.F32, random, 2, 3).entry(),
                TestFiles.tensor("b", DType.F16, random, 4).entry(),
                TestFiles.tensor("scalar", DType.I64, random).entry(),
                TestFiles.tensor("empty", DType.BF16, random, 0, 2).entry(),
                TestFiles.tensor("名前", DType.U8, random, 3).entry()), metadata);
        return Files.readAllBytes(file);
    }

    /** Byte-level damage anywhere, the length prefix included. */
    private static byte[] mutateFile(byte[] original, Random random) {
        byte[] b = original.clone();
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n; k++) {
            b = switch (random.nextInt(6)) {
                case 0 -> { b[random.nextInt(b.length)] = (byte) random.nextInt(256); yield b; }
                case 1 -> { int p = random.nextInt(b.length); b[p] ^= (byte) (1 << random.nextInt(8)); yield b; }
                case 2 -> Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
                case 3 -> insert(b, random.nextInt(b.length + 1), (byte) random.nextInt(256));
                case 4 -> delete(b, random.nextInt(b.length));
                default -> { // a random header length, small or huge
                    if (b.length < 8) {
                        yield b;
                    }
                    long len = random.nextBoolean() ? random.nextInt(b.length + 16) : random.nextLong();
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
                    yield b;
                }
            };
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    /** Damage inside the JSON, with the length prefix kept consistent so the parser sees it all. */
    private static byte[] mutateHeader(byte[] original, int headerLength, Random random) {
        byte[] header = Arrays.copyOfRange(original, 8, 8 + headerLength);
        byte[] data = Arrays.copyOfRange(original, 8 + headerLength, original.length);
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n && header.length > 0; k++) {
            int p = random.nextInt(header.length);
            byte value = INTERESTING[random.nextInt(INTERESTING.length)];
            header = switch (random.nextInt(4)) {
                case 0 -> { header[p] = value; yield header; }
                case 1 -> insert(header, p, value);
                case 2 -> delete(header, p);
                default -> { // duplicate a slice: repeated keys, nested structures
                    int end = Math.min(header.length, p + 1 + random.nextInt(40));
                    byte[] slice = Arrays.copyOfRange(header, p, end);
                    byte[] out = new byte[header.length + slice.length];
                    System.arraycopy(header, 0, out, 0, end);
                    System.arraycopy(slice, 0, out, end, slice.length);
                    System.arraycopy(header, end, out, end + slice.length, header.length - end);
                    yield out;
                }
            };
        }
        return TestFiles.file(header, data);
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }
}
