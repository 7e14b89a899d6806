package io.stipple.app.models;

import io.stipple.engine.pipeline.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Model names to files. A name resolves only inside its kind's folder: no "..", no absolute path
 * (unless the embedded CLI allows paths), so a request can never reach other files of the machine.
 */
public final class ModelRepository {
    private static final List<String> MODEL_ENDINGS = List.of(".safetensors", ".sft", ".ckpt", ".pt", ".pth", ".bin");

    private final Path root;
    private final boolean allowAbsolutePaths;

    public ModelRepository(Path root, boolean allowAbsolutePaths) {
        this.root = root.toAbsolutePath().normalize();
        this.allowAbsolutePaths = allowAbsolutePaths;
    }

    public Path folder(ModelKind kind) {
        return root.resolve(kind.folder());
    }

    /**
     * @param field the request field that named it, for error messages
     * @throws InvalidRequestException for a name that tries to leave the folder
     * @throws ModelNotFoundException for a name that names no file
     */
    public Path resolve(ModelKind kind, String name, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException(field, "empty (expected: a " + kind.folder() + " file name)");
        }
        Path asPath = Path.of(name);
        if (asPath.isAbsolute()) {
            if (!allowAbsolutePaths) {
                throw new InvalidRequestException(field, name + " (expected: a name inside " + kind.folder() + "/, not an absolute path)");
            }
            if (!Files.isRegularFile(asPath)) {
                throw new ModelNotFoundException(field, name, kind, List.of());
            }
            return asPath;
        }
        Path resolved = inside(kind, name, field);
        if (!Files.isRegularFile(resolved)) {
            if (allowAbsolutePaths && Files.isRegularFile(asPath)) {
                return asPath.toAbsolutePath();
            }
            throw new ModelNotFoundException(field, name, kind, list(kind).stream().map(ModelFile::name).toList());
        }
        return resolved;
    }

    /**
     * Where a new model file named {@code name} goes: inside its kind's folder (sub-folders allowed),
     * or an absolute path where paths are allowed. It must end with {@code ending}.
     */
    public Path output(ModelKind kind, String name, String ending, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException(field, "empty (expected: a file name ending in " + ending + ")");
        }
        if (!name.toLowerCase(Locale.ROOT).endsWith(ending)) {
            throw new InvalidRequestException(field, name + " (expected: a file name ending in " + ending + ")");
        }
        Path asPath = Path.of(name);
        if (asPath.isAbsolute()) {
            if (!allowAbsolutePaths) {
                throw new InvalidRequestException(field, name + " (expected: a name inside " + kind.folder() + "/, not an absolute path)");
            }
            return asPath.normalize();
        }
        return inside(kind, name, field);
    }

    /** {@code name} resolved in its kind's folder, refused if it would leave it. */
    private Path inside(ModelKind kind, String name, String field) {
        Path folder = folder(kind);
        Path resolved = folder.resolve(name).normalize();
        if (!resolved.startsWith(folder) || resolved.equals(folder) || name.contains("\\") || name.contains("\0")) {
            throw new InvalidRequestException(field, name + " (expected: a name inside " + kind.folder() + "/)");
        }
        return resolved;
    }

    /** The model files of a kind, sorted by name. */
    public List<ModelFile> list(ModelKind kind) {
        Path folder = folder(kind);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<ModelFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder, 8)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
                MODEL_ENDINGS.stream().filter(lower::endsWith).findFirst().ifPresent(ending -> {
                    String name = folder.relativize(p).toString().replace('\\', '/');
                    out.add(new ModelFile(kind, name, p, size(p), formatOf(ending)));
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        out.sort(Comparator.comparing(ModelFile::name));
        return out;
    }

    private static String formatOf(String ending) {
        return ending.equals(".safetensors") || ending.equals(".sft") ? "safetensors" : "ckpt";
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
