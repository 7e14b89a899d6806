package io.stipple.app.grpc;

import io.stipple.engine.pipeline.QuotedValue;

/** A Merge output that exists already, with the name as the request gave it (ALREADY_EXISTS). */
final class OutputExistsException extends RuntimeException {
    OutputExistsException(String field, String name) {
        super(field + ": " + QuotedValue.of(name) + " already exists (expected: a new name, or overwrite: true)");
    }
}
