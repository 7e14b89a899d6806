package io.stipple.app.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of model files, remembered per version of the file ({@link FileStamp}): AUTOMATIC1111's
 * "Model hash" is the first 10 hex digits, and hashing a 7 GB file takes seconds.
 */
public final class FileHashes {
    private final Map<FileStamp, String> cache = new ConcurrentHashMap<>();

    public String sha256(Path file) {
        try {
            return cache.computeIfAbsent(FileStamp.of(file), k -> compute(k.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** AUTOMATIC1111's short model hash. */
    public String shortHash(Path file) {
        return sha256(file).substring(0, 10);
    }

    public static String compute(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
