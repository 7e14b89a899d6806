package io.stipple.engine.merge;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file a merge writes before it is complete: {@code .stipple-merge-<id>.tmp} in the output
 * folder (so the final rename stays on one file system and is atomic), hidden and recognisable.
 *
 * <p>A running merge holds a lock on a sibling {@code .stipple-merge-<id>.lock} for its whole life,
 * so {@link #deleteStale} removes only what a killed merge left: the operating system drops the
 * lock of a dead process. The lock is on a separate file because POSIX drops a process's locks on
 * a file whenever any of its descriptors for that file is closed, and the format writer opens and
 * closes the temporary file itself.
 */
final class MergeTempFile implements AutoCloseable {
    static final String PREFIX = ".stipple-merge-";
    static final String SUFFIX = ".tmp";
    static final String LOCK_SUFFIX = ".lock";
    /** How deep below the checkpoints folder {@link #deleteStale} looks; the listing walks as deep. */
    static final int MAX_DEPTH = 8;
    private static final int ATTEMPTS = 3;
    /** Lock files held by merges in this JVM: never opened by {@link #deleteStale}, whose close would drop their lock. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean committed;

    private MergeTempFile(Path file, Path lockFile, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static MergeTempFile create(Path folder) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String id = UUID.randomUUID().toString();
            Path lockFile = folder.resolve(PREFIX + id + LOCK_SUFFIX).toAbsolutePath().normalize();
            HELD.add(lockFile);
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    Path file = folder.resolve(PREFIX + id + SUFFIX).toAbsolutePath().normalize();
                    Files.createFile(file);
                    return new MergeTempFile(file, lockFile, channel, lock);
                }
                // a concurrent cleanup took the fresh lock file for a stale one and is deleting it: start again
            } catch (IOException | RuntimeException e) {
                release(channel, lockFile);
                throw e;
            }
            release(channel, lockFile);
        }
        throw new IOException(folder + ": could not lock a temporary merge file after " + ATTEMPTS + " attempts");
    }

    Path path() {
        return file;
    }

    /**
     * Flushes the file to disk and moves it to {@code target} in one step. Without {@code overwrite}
     * a hard link (which fails if the target exists) makes the move, so a file that appeared while
     * merging is never replaced; where links are not supported, a check then an atomic rename.
     *
     * @throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is false
     */
    void commit(Path target, boolean overwrite) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        if (overwrite) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            moveWithoutReplacing(target);
        }
        committed = true;
        syncFolder(target.getParent());
    }

    private void moveWithoutReplacing(Path target) throws IOException {
        try {
            Files.createLink(target, file);
            committed = true;
            Files.deleteIfExists(file);
        } catch (FileAlreadyExistsException e) {
            throw existing(target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target)) {
                throw existing(target);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static FileAlreadyExistsException existing(Path target) {
        return new FileAlreadyExistsException(target.toString(), null, "exists (expected: a new file name, or overwrite to replace it)");
    }

    /** Deletes the temporary file unless it was committed, and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (!committed) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
                HELD.remove(lockFile);
            }
        }
    }

    /**
     * Deletes the temporary files of merges that died before finishing (killed, crashed, power
     * lost) in {@code folder} and its sub-folders (a merge writes beside its output, which may be in
     * one), and their lock files; files of merges still running, in this or another process, are
     * left alone. Linked folders are not entered: they are not the server's to clean.
     *
     * @return the deleted files
     */
    static List<Path> deleteStale(Path folder) throws IOException {
        List<Path> folders;
        try (var walk = Files.walk(folder, MAX_DEPTH)) {
            folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        List<Path> deleted = new ArrayList<>();
        for (Path f : folders) {
            deleted.addAll(deleteStaleIn(f));
        }
        return deleted;
    }

    private static List<Path> deleteStaleIn(Path folder) throws IOException {
        List<Path> deleted = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*{" + SUFFIX + "," + LOCK_SUFFIX + "}")) {
            files.forEach(candidates::add);
        }
        for (Path candidate : candidates) {
            String name = candidate.getFileName().toString();
            String id = name.substring(PREFIX.length(), name.lastIndexOf('.'));
            Path lockFile = folder.resolve(PREFIX + id + LOCK_SUFFIX).toAbsolutePath().normalize();
            Path tmp = folder.resolve(PREFIX + id + SUFFIX);
            if (HELD.contains(lockFile) || !Files.exists(candidate)) {
                continue;
            }
            boolean lockFileExisted = Files.exists(lockFile);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    continue; // a merge in another process is writing it
                }
                try {
                    if (Files.deleteIfExists(tmp)) {
                        deleted.add(tmp);
                    }
                    if (Files.deleteIfExists(lockFile) && lockFileExisted) {
                        deleted.add(lockFile);
                    }
                } finally {
                    lock.release();
                }
            } catch (OverlappingFileLockException e) {
                // held in this JVM by a merge that registered after the check above
            }
        }
        return deleted;
    }

    private static void release(FileChannel channel, Path lockFile) throws IOException {
        try {
            if (channel != null) {
                Files.deleteIfExists(lockFile);
                channel.close();
            }
        } finally {
            HELD.remove(lockFile);
        }
    }

    /** Makes the rename durable where the platform allows opening a folder (Linux, macOS). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; the rename is still atomic, only its durability is the OS's
        }
    }
}
