package io.stipple.app.config;

import java.util.Locale;

/** Which tensor backend runs the models. */
public enum Backend {
    /** CUDA when a usable GPU is present, else the CPU (and the log says why). */
    AUTO,
    CPU,
    CUDA,
    /** The CUDA backend on the emulated device (the CUDA kernels compiled for the host): a testing aid, slow. */
    CUDA_EMULATED;

    /** The name as options and config files spell it: "auto", "cpu", "cuda", "cuda-emulated". */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Backend parse(String value) {
        for (Backend b : values()) {
            if (b.optionName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("backend: " + value + " (expected: one of auto, cpu, cuda, cuda-emulated)");
    }
}
