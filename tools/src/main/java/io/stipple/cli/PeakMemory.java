package io.stipple.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set (VmHWM of /proc/self/status), or -1 where there is none. */
final class PeakMemory {
    private PeakMemory() {}

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
