package io.stipple.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the installed distribution is: the folder holding lib/ (this jar), plugins/ and models/.
 * The launcher passes it as -Dstipple.home; STIPPLE_HOME overrides both.
 */
final class Distribution {
    private Distribution() {}

    static Path home() {
        String env = System.getenv("STIPPLE_HOME");
        if (env != null) {
            return Path.of(env);
        }
        String property = System.getProperty("stipple.home");
        if (property != null) {
            return Path.of(property);
        }
        try {
            Path jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent();
            if (lib != null && lib.getFileName() != null && lib.getFileName().toString().equals("lib") && Files.isDirectory(lib.getParent().resolve("plugins"))) {
                return lib.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    static Path plugins() {
        return home().resolve("plugins");
    }

    static Path models() {
        return home().resolve("models");
    }
}
