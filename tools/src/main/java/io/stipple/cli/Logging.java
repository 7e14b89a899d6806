package io.stipple.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One log, java.util.logging, one line per record on stderr; PF4J's SLF4J and gRPC go through it. */
final class Logging {
    private Logging() {}

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        String level = System.getenv().getOrDefault("STIPPLE_LOG", "INFO");
        root.setLevel(Level.parse(level.toUpperCase(java.util.Locale.ROOT)));
        // PF4J and gRPC are chatty at INFO about internals
        Logger.getLogger("org.pf4j").setLevel(Level.WARNING);
        Logger.getLogger("io.grpc").setLevel(Level.WARNING);
    }

    /** Only warnings: for commands whose output is the point (generate, inspect). */
    static void quiet() {
        if (System.getenv("STIPPLE_LOG") == null) {
            Logger.getLogger("").setLevel(Level.WARNING);
        }
    }
}
