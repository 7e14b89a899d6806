package io.stipple.app.auth;

import io.stipple.app.models.FileStamp;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens a server accepts: one per line of a file (blank lines and lines starting with
 * '#' skipped), read again when the file changes, so tokens are added and revoked without a restart.
 * Tokens are kept as SHA-256 digests and compared in constant time, so neither a token's content
 * nor its length leaks through timing.
 */
public final class TokenFile {
    private static final System.Logger LOG = System.getLogger(TokenFile.class.getName());
    /** How often the file's stamp is looked at, at most: a stat per call would be wasted on a busy server. */
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile List<byte[]> digests;
    private volatile FileStamp stamp;
    private volatile long checkedNanos;

    /** @throws IllegalArgumentException when the file cannot be read at start or holds no token (the server refuses to start) */
    public TokenFile(Path file) {
        this.file = file;
        try {
            load();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the auth tokens file " + file + " ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()) + ")", e);
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("the auth tokens file " + file + " holds no token (expected: one per line)");
        }
    }

    /** Whether {@code token} is one of the file's, as it is now. */
    public boolean accepts(String token) {
        reloadIfChanged();
        byte[] digest = sha256(token);
        boolean found = false;
        for (byte[] d : digests) {
            found |= MessageDigest.isEqual(d, digest); // no early exit: every token is compared
        }
        return found;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - checkedNanos < RECHECK_NANOS) {
            return;
        }
        synchronized (this) {
            if (now - checkedNanos < RECHECK_NANOS) {
                return;
            }
            checkedNanos = now;
            if (stamp.isCurrent()) {
                return;
            }
            try {
                load();
                LOG.log(Level.INFO, "auth tokens reloaded from " + file + ": " + digests.size() + " token(s)");
            } catch (IOException e) {
                // keep the tokens that were last read: a file being rewritten must not open the server or lock everyone out
                LOG.log(Level.WARNING, "cannot read the auth tokens file " + file + " (" + e.getMessage() + "); keeping the last tokens read");
            }
        }
    }

    /** For tests: look at the file again at the next call, however recent the last look. */
    void recheckNow() {
        checkedNanos = System.nanoTime() - RECHECK_NANOS;
    }

    private void load() throws IOException {
        FileStamp before = FileStamp.of(file);
        List<byte[]> read = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(TokenFile::sha256).toList();
        digests = read;
        stamp = before;
        checkedNanos = System.nanoTime();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
