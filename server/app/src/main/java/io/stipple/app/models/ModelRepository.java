package io.stipple.app.models;

import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Model names to files. A name resolves only inside its kind's folder: no "..", no absolute path
 * (unless the embedded CLI allows paths), no control characters, so a request can never reach other
 * files of the machine.
 *
 * <p>Symbolic links are the operator's, never a client's: reading follows them (sharing one models
 * folder between tools by links is common), but only to files with a model file ending, so a link
 * cannot expose {@code /etc/passwd}. Writing never goes through one: the real folder of a new file
 * must lie inside the real models folder, and an existing link is not replaced.
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
        ModelNames.check(name, field, "a " + kind.folder() + " file name");
        Path asPath = path(name, field);
        if (asPath.isAbsolute()) {
            if (!allowAbsolutePaths) {
                throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a name inside " + kind.folder()
                        + "/, not an absolute path)");
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
        if (!readable(kind, resolved)) {
            throw new InvalidRequestException(field, QuotedValue.of(name) + " is a link to a file without a model file ending"
                    + " (expected: a model file, one of " + MODEL_ENDINGS + ")");
        }
        return resolved;
    }

    /**
     * Where a new model file named {@code name} goes: inside its kind's folder (sub-folders allowed,
     * never through a symbolic link), or an absolute path where paths are allowed. It must end with
     * {@code ending}.
     */
    public Path output(ModelKind kind, String name, String ending, String field) {
        ModelNames.check(name, field, "a file name ending in " + ending);
        if (!name.toLowerCase(Locale.ROOT).endsWith(ending)) {
            throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a file name ending in " + ending + ")");
        }
        Path asPath = path(name, field);
        if (asPath.isAbsolute()) {
            if (!allowAbsolutePaths) {
                throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a name inside " + kind.folder()
                        + "/, not an absolute path)");
            }
            return asPath.normalize();
        }
        Path resolved = inside(kind, name, field);
        if (!reallyInside(folder(kind), resolved.getParent())) {
            throw throughLink(kind, name, field);
        }
        return resolved;
    }

    /**
     * Refuses to replace {@code output} (from {@link #output}) when it is a symbolic link: replacing
     * the link would leave the operator's target as it was and a file where the link was.
     */
    public void requireReplaceable(ModelKind kind, Path output, String name, String field) {
        if (Files.isSymbolicLink(output)) {
            throw throughLink(kind, name, field);
        }
    }

    private static InvalidRequestException throughLink(ModelKind kind, String name, String field) {
        return new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a name inside " + kind.folder()
                + "/ that goes through no symbolic link: the server writes only into its own folders)");
    }

    /** After {@link ModelNames#check}, what still fails here is a name the file system's encoding cannot hold (non-ASCII under a C locale). */
    private static Path path(String name, String field) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a name this server's file system can hold: "
                    + e.getReason() + ")");
        }
    }

    /** {@code name} resolved in its kind's folder, refused if it would leave it. */
    private Path inside(ModelKind kind, String name, String field) {
        Path folder = folder(kind);
        Path resolved = folder.resolve(name).normalize();
        if (!resolved.startsWith(folder) || resolved.equals(folder)) {
            throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: a name inside " + kind.folder() + "/)");
        }
        return resolved;
    }

    /** A file is readable when it really lies in the folder, or a link led to a file with a model ending. */
    private boolean readable(ModelKind kind, Path file) {
        Optional<Path> real = realPath(file);
        return real.isPresent() && (reallyInside(folder(kind), real.get()) || hasModelEnding(real.get()));
    }

    /**
     * Whether {@code path} (which need not exist yet) lies inside {@code folder} once every link is
     * followed: the real path of its nearest existing ancestor must start with the folder's.
     */
    private static boolean reallyInside(Path folder, Path path) {
        Optional<Path> realFolder = realPath(folder);
        if (realFolder.isEmpty()) {
            return true; // no folder yet: nothing beneath it can be a link, and it is made when written
        }
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Optional<Path> real = existing == null ? Optional.empty() : realPath(existing);
        return real.isPresent() && real.get().startsWith(realFolder.get());
    }

    private static Optional<Path> realPath(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> modelEnding(Path p) {
        String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return MODEL_ENDINGS.stream().filter(lower::endsWith).findFirst();
    }

    private static boolean hasModelEnding(Path p) {
        return modelEnding(p).isPresent();
    }

    /**
     * The model files of a kind, sorted by name: regular files with a model ending that a request
     * could load (links count when they pass the same rule; linked folders are not walked).
     */
    public List<ModelFile> list(ModelKind kind) {
        Path folder = folder(kind);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<ModelFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder, 8)) {
            files.filter(Files::isRegularFile).forEach(p -> modelEnding(p).ifPresent(ending -> {
                if (readable(kind, p)) {
                    String name = folder.relativize(p).toString().replace('\\', '/');
                    out.add(new ModelFile(kind, name, p, size(p), formatOf(ending)));
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + kind.folder() + "/", e);
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
