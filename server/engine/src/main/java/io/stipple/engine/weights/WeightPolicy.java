package io.stipple.engine.weights;

/** How a checkpoint's weights are held in memory while a model is loaded. */
public enum WeightPolicy {
    /** Converted to float32 on first use and kept: fastest, 4 bytes per parameter. */
    RESIDENT_F32,
    /** Read from the file's mapping in its own type on every use: 2 bytes per fp16 parameter, in the page cache. */
    AS_STORED
}
