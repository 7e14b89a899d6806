package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.Extension;

/** The extension itself: its name, what it claims to read, and that PF4J finds it. */
class CkptFormatTest {
    private final CkptFormat format = new CkptFormat();

    private static ByteBuffer head(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        return ByteBuffer.wrap(Arrays.copyOf(all, Math.min(64, all.length)));
    }

    @Test
    void identity() {
        assertEquals("ckpt", format.name());
        assertEquals(List.of(".ckpt", ".pt", ".pth", ".bin"), format.extensions());
        assertFalse(format.canWrite());
        assertThrows(UnsupportedOperationException.class, () -> format.write(Path.of("x.ckpt"), List.of(), Map.of()));
    }

    @Test
    void recognisesZipAndLegacyCheckpointsByTheirFirstBytes() throws Exception {
        for (String name : List.of("dtypes.pt", "lightning.ckpt", "legacy_views.pt", "legacy_protocol4.pt", "protocol5.pt")) {
            ByteBuffer head = head(Fixtures.file(name));
            assertTrue(format.canRead(Fixtures.file(name), head), name);
            assertEquals(0, head.position(), "canRead leaves the buffer as it was");
        }
        assertTrue(format.canRead(Golden.path("models/sd15_tiny.ckpt"), head(Golden.path("models/sd15_tiny.ckpt"))));
    }

    @Test
    void doesNotClaimOtherFiles() throws Exception {
        Path safetensors = Golden.path("models/sd15_tiny.safetensors");
        assertFalse(format.canRead(safetensors, head(safetensors)));
        assertFalse(format.canRead(Path.of("a.pt"), ByteBuffer.wrap(new byte[] {(byte) 0x80, 2, 'K', 1, '.'})));
        assertFalse(format.canRead(Path.of("a.pt"), ByteBuffer.wrap("hello world, not a checkpoint".getBytes())));
        assertFalse(format.canRead(Path.of("a.pt"), ByteBuffer.wrap(new byte[] {'P', 'K'})));
        assertFalse(format.canRead(Path.of("a.pt"), ByteBuffer.allocate(0)));
    }

    @Test
    void aFileThatCannotBeReadIsAnIOException(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> format.open(dir.resolve("missing.ckpt")));
        assertThrows(IOException.class, () -> format.open(dir));
    }

    @Test
    void isAPf4jExtensionListedInTheIndex() throws Exception {
        assertNotNull(CkptFormat.class.getAnnotation(Extension.class));
        assertTrue(CheckpointFormat.class.isAssignableFrom(CkptFormat.class));
        Path index = Path.of("target", "classes", "META-INF", "extensions.idx");
        assertTrue(Files.exists(index), index.toAbsolutePath() + " was not generated");
        assertTrue(Files.readAllLines(index).contains(CkptFormat.class.getName()), Files.readString(index));
    }
}
