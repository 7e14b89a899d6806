package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.LatentInput;
import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.LatentFile;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.cpu.CpuOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a ComfyUI ".latent" file sent in a request. The format plugins read files (mapped), so the
 * bytes go through a private temporary file, deleted at once.
 */
final class LatentReader {
    private final CheckpointOpener opener;

    LatentReader(CheckpointOpener opener) {
        this.opener = opener;
    }

    LatentInput read(byte[] bytes, String field) {
        if (bytes.length == 0) {
            throw new InvalidRequestException(field, "empty (expected: a ComfyUI .latent file)");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("stipple-latent-", ".latent");
            Files.write(tmp, bytes);
            try (TensorIndex index = opener.open(tmp)) {
                var latent = LatentFile.read(index, new CpuOps(), field);
                int[] shape = latent.shape().dims();
                if (shape[1] != 4) {
                    throw new InvalidRequestException(field, "latent_tensor has " + shape[1] + " channels (expected: 4)");
                }
                if (shape[0] < 1 || shape[0] > GenerateRequestValidator.MAX_BATCH || shape[2] * 8 < GenerateRequestValidator.MIN_SIZE
                        || shape[3] * 8 < GenerateRequestValidator.MIN_SIZE || shape[2] * 8 > GenerateRequestValidator.MAX_SIZE
                        || shape[3] * 8 > GenerateRequestValidator.MAX_SIZE) {
                    throw new InvalidRequestException(field, "latent_tensor of shape " + latent.shape()
                            + " (expected: batch 1 to 16, height and width 8 to 256)");
                }
                return new LatentInput(latent.toArray(), shape); // LatentFile.read refused non-finite values
            }
        } catch (CheckpointFormatException e) {
            // the message starts with the private temporary file's name: the client sent bytes, not that file
            String reason = e.getMessage().startsWith(e.file().getFileName() + ": ")
                    ? e.getMessage().substring(e.file().getFileName().toString().length() + 2) : e.getMessage();
            throw new InvalidRequestException(field, "not a readable .latent file: " + reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }
}
