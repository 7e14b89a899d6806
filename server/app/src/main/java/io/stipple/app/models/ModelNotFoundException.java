package io.stipple.app.models;

import io.stipple.engine.pipeline.QuotedValue;
import java.util.List;

/** A model name that names no file; the message lists what there is. */
public class ModelNotFoundException extends RuntimeException {
    private final String field;

    public ModelNotFoundException(String field, String name, ModelKind kind, List<String> available) {
        super(field + ": " + QuotedValue.of(name) + " not found in " + kind.folder() + "/ (available: "
                + (available.isEmpty() ? "none" : available.size() > 20 ? available.subList(0, 20) + " and " + (available.size() - 20) + " more" : available)
                + ")");
        this.field = field;
    }

    public String field() {
        return field;
    }
}
