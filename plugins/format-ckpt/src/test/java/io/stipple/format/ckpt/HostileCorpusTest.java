package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.ckpt.CheckpointFiles.Entry;
import io.stipple.format.ckpt.TorchPickles.Tensor;
import io.stipple.plugin.api.CheckpointFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every hostile or broken file is refused with a message that says why, and runs nothing. */
class HostileCorpusTest {
    @TempDir
    static Path dir;

    private static Path marker() {
        return dir.resolve("pwned.marker");
    }

    @TestFactory
    Stream<DynamicTest> refusesEachWithAClearMessage() {
        CkptFormat format = new CkptFormat();
        return HostileCorpus.cases(marker()).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path file = c.write(dir);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> format.open(file).close(),
                    c.name() + " was opened");
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.expected()), c.name() + ": message\n  " + e.getMessage()
                    + "\nshould contain\n  " + c.expected());
            assertFalse(Files.exists(marker()), "the payload ran");
        }));
    }

    @Test
    void caseNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        List<String> dup = new ArrayList<>();
        HostileCorpus.cases(marker()).forEach(c -> {
            if (!seen.add(c.name())) {
                dup.add(c.name());
            }
        });
        assertEquals(List.of(), dup);
    }

    @Test
    void zipEntryCountIsLimited() throws Exception {
        List<Entry> entries = new ArrayList<>(CheckpointFiles.torchEntries("archive",
                TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 1))), Map.of("0", CheckpointFiles.floats(1))));
        for (int i = 0; i < 200; i++) {
            entries.add(Entry.stored("archive/extra/" + i, new byte[0]));
        }
        Path file = CheckpointFiles.zip(dir.resolve("many_entries.pt"), entries);
        CkptFormat strict = new CkptFormat(CkptLimits.DEFAULT.withMaxZipEntries(100));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> strict.open(file));
        assertTrue(e.getMessage().contains("zip declares 203 entries (expected: at most 100)"), e.getMessage());
        new CkptFormat().open(file).close();
    }

    @AfterAll
    static void noPayloadEverRan() {
        assertFalse(Files.exists(marker()), "a payload created " + marker());
    }
}
