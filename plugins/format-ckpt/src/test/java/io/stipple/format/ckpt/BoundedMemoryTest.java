package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile corpus, memory bombs included, is refused by a JVM with a small heap: the
 * default limits keep what a hostile file can make the reader allocate well under it.
 */
class BoundedMemoryTest {
    static final String HEAP = "-Xmx128m";

    @Test
    void theCorpusIsRefusedWithinASmallHeap(@TempDir Path dir) throws Exception {
        List<String> manifest = new ArrayList<>();
        for (HostileCorpus.Case c : HostileCorpus.cases(dir.resolve("pwned.marker"))) {
            manifest.add(c.write(dir) + "\t" + c.expected());
        }
        Path list = Files.write(dir.resolve("manifest.tsv"), manifest);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HostileCorpusMain.class.getName(), list.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the corpus run hung");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertEquals(manifest.size(), output.lines().filter(l -> l.startsWith("refused ")).count(), output);
        assertTrue(Files.notExists(dir.resolve("pwned.marker")));
    }
}
