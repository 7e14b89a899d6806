package io.stipple.app.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells one version of a file from the next: its size, modification time and file key (the
 * inode on Linux). A Merge that overwrites a checkpoint renames a new file into place, which changes
 * the inode even when size and time match; an edit in place changes the time.
 */
public record FileStamp(Path file, long size, FileTime modified, Object fileKey) {

    /** The stamp of {@code file} now, following links (the file is what a reader would open). */
    public static FileStamp of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(file.toAbsolutePath().normalize(), a.size(), a.lastModifiedTime(), a.fileKey());
    }

    /** Whether the file on disk is still this version (false when it is gone or unreadable). */
    public boolean isCurrent() {
        try {
            return equals(of(file));
        } catch (IOException e) {
            return false;
        }
    }
}
