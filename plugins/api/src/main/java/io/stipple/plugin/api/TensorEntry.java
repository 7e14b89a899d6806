package io.stipple.plugin.api;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * A tensor to write: its declared name, dtype and shape, and its bytes (little-endian, contiguous),
 * produced only when the writer reaches it so that a writer holds one tensor at a time.
 */
public record TensorEntry(TensorInfo info, Supplier<MemorySegment> bytes) {}
