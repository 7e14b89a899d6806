package io.stipple.app.config;

import java.util.Locale;

/** Which tensor backend runs the models. */
public enum Backend {
    /** CUDA when a usable GPU is present, else the CPU (and the log says why). */
    AUTO,
    CPU,
    CUDA;

    public static Backend parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backend: " + value + " (expected: one of auto, cpu, cuda)");
        }
    }
}
