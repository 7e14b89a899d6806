package io.stipple.format.ckpt;

/**
 * Why a checkpoint cannot be read, raised deep in the parsers that do not know the file's name.
 * {@link CkptFormat} turns it into the API's {@code CheckpointFormatException}, which names the file.
 */
final class FormatProblem extends RuntimeException {
    FormatProblem(String reason) {
        super(reason, null, false, false);
    }
}
