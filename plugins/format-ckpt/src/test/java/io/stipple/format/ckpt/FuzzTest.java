package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stipple.format.ckpt.CheckpointFiles.Entry;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of seeded mutations of valid checkpoints (bytes flipped, set, cut, duplicated or
 * removed, in the whole file or in the pickle of a re-zipped one) are either opened and read to
 * the last byte of every tensor, or refused with a CheckpointFormatException; nothing else is
 * thrown and nothing hangs.
 */
class FuzzTest {
    /** Longer campaigns: -Dckpt.fuzz.seed=N -Dckpt.fuzz.iterations=N -Dckpt.fuzz.seconds=N. */
    private static final long SEED = Long.getLong("ckpt.fuzz.seed", 0x5EED_C0DEL);
    private static final int ITERATIONS = Integer.getInteger("ckpt.fuzz.iterations", 5000);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("ckpt.fuzz.seconds", 30));

    private record Seed(String name, byte[] file, List<Entry> zipEntries) {}

    @TempDir
    Path dir;

    @Test
    void mutatedCheckpointsOpenOrAreRefused() throws Exception {
        List<Seed> seeds = seeds();
        CkptFormat format = new CkptFormat();
        Random random = new Random(SEED);
        Path file = dir.resolve("fuzz.ckpt");
        long[] outcomes = new long[2];
        assertTimeoutPreemptively(BUDGET.plusSeconds(60), () -> {
            long deadline = System.nanoTime() + BUDGET.toNanos();
            for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
                Seed seed = seeds.get(random.nextInt(seeds.size()));
                boolean inPickle = seed.zipEntries() != null && random.nextBoolean();
                byte[] mutated = inPickle ? mutatePickle(seed, random) : mutate(seed.file(), random);
                Files.write(file, mutated);
                try (TensorIndex index = format.open(file)) {
                    readAll(index);
                    outcomes[0]++;
                } catch (CheckpointFormatException e) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    Path kept = Path.of("target", "fuzz-failures", "iteration-" + i + "-" + seed.name());
                    Files.createDirectories(kept.getParent());
                    Files.write(kept, mutated);
                    fail("iteration " + i + " (seed " + seed.name() + (inPickle ? ", pickle mutated" : "") + ") threw "
                            + t + "; the file is kept at " + kept.toAbsolutePath(), t);
                }
            }
        });
        System.out.println("fuzz: " + outcomes[0] + " mutated files opened and read, " + outcomes[1] + " refused");
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "the mutations should both keep files valid and break them: "
                + Arrays.toString(outcomes));
    }

    private static void readAll(TensorIndex index) {
        for (TensorInfo info : index.tensors()) {
            MemorySegment bytes = index.bytes(info.name());
            if (bytes.byteSize() != info.byteSize()) {
                throw new AssertionError(info + " has " + bytes.byteSize() + " bytes");
            }
            if (bytes.byteSize() > 0) {
                bytes.get(ValueLayout.JAVA_BYTE, 0);
                bytes.get(ValueLayout.JAVA_BYTE, bytes.byteSize() - 1);
            }
        }
    }

    private static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.dir())) {
            for (Path p : files.filter(f -> !f.toString().endsWith(".json") && !f.toString().endsWith(".py")).sorted().toList()) {
                byte[] all = Files.readAllBytes(p);
                seeds.add(new Seed(p.getFileName().toString(), all, all[0] == 'P' ? entries(p) : null));
            }
        }
        return seeds;
    }

    /** The zip's entries, read through its central directory (torch's stored entries carry data descriptors). */
    private static List<Entry> entries(Path zip) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                entries.add(Entry.stored(e.getName(), z.getInputStream(e).readAllBytes()));
            }
        }
        return entries;
    }

    /** The seed re-zipped (valid headers and CRCs) with its data.pkl mutated: this reaches the interpreter. */
    private byte[] mutatePickle(Seed seed, Random random) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : seed.zipEntries()) {
            entries.add(e.name().endsWith("/data.pkl") ? Entry.stored(e.name(), mutate(e.data(), random)) : e);
        }
        return Files.readAllBytes(CheckpointFiles.zip(dir.resolve("rezip.tmp"), entries));
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int ops = 1 + random.nextInt(3);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80, 0x01, 0xfe}[random.nextInt(6)];
                case 2 -> b[at] = (byte) random.nextInt(256);
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(16));
                    byte[] r = new byte[b.length + len];
                    System.arraycopy(b, 0, r, 0, at + len);
                    System.arraycopy(b, at, r, at + len, b.length - at);
                    b = r;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(16));
                    byte[] r = new byte[b.length - len];
                    System.arraycopy(b, 0, r, 0, at);
                    System.arraycopy(b, at + len, r, at, b.length - at - len);
                    b = r;
                }
            }
        }
        return b;
    }
}
