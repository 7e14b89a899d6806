package io.stipple.app.models;

import java.nio.file.Path;

/**
 * A model file in the models folder.
 *
 * @param name the name requests use: its path relative to its kind's folder, with '/'
 */
public record ModelFile(ModelKind kind, String name, Path path, long sizeBytes, String format) {}
