package io.stipple.format.ckpt;

import io.stipple.plugin.api.CheckpointFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens every file of a written hostile corpus, in a JVM of its own (see {@link BoundedMemoryTest}).
 * Argument: a manifest of lines {@code file<TAB>expected words}. Prints one line per file and exits
 * 0 only if every file was refused with its words; an OutOfMemoryError or any other throwable is
 * reported and exits 2.
 */
public final class HostileCorpusMain {
    private HostileCorpusMain() {}

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        CkptFormat format = new CkptFormat();
        int failures = 0;
        for (String line : lines) {
            String[] parts = line.split("\t", 2);
            Path file = Path.of(parts[0]);
            try {
                format.open(file).close();
                System.out.println("OPENED " + file.getFileName());
                failures++;
            } catch (CheckpointFormatException e) {
                boolean ok = e.getMessage().contains(parts[1]);
                System.out.println((ok ? "refused " : "WRONG MESSAGE ") + e.getMessage());
                failures += ok ? 0 : 1;
            } catch (Throwable t) {
                System.out.println("THREW " + file.getFileName() + ": " + t);
                System.exit(2);
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.out.println("max heap " + (rt.maxMemory() >> 20) + " MiB");
        System.exit(failures == 0 ? 0 : 1);
    }
}
