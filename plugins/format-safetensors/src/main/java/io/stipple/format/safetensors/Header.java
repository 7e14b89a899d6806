package io.stipple.format.safetensors;

import java.util.List;
import java.util.Map;

/** A parsed safetensors header: the tensors in the header's order, and {@code __metadata__}. */
record Header(List<HeaderEntry> entries, Map<String, String> metadata) {

    /** The header key that holds the metadata rather than a tensor. */
    static final String METADATA_KEY = "__metadata__";

    /** The safetensors specification's limit on the header's length (the reference refuses more). */
    static final long MAX_BYTES = 100_000_000L;
}
