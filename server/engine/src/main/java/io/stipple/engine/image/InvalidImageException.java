package io.stipple.engine.image;

/** Input image bytes that cannot be used: not PNG/JPEG, damaged, or too large. */
public class InvalidImageException extends RuntimeException {
    public InvalidImageException(String message) {
        super(message);
    }
}
