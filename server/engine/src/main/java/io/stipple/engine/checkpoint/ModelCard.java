package io.stipple.engine.checkpoint;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a checkpoint's own metadata ({@code __metadata__} in safetensors) says about it for people:
 * a title, a description and the image size it was made for. Read from the keys of Stability AI's
 * model spec ({@code modelspec.title}, {@code modelspec.description}, {@code modelspec.resolution}),
 * which trainers and ComfyUI write, and from a free-text {@code recommended} entry that starts with
 * the size ("64x64, euler/normal, 20 steps"), as the bundled demo model has. Anything else, or a
 * size Stipple could not generate, is left out: a card never makes a model unusable.
 */
public record ModelCard(Optional<String> title, Optional<String> description, Optional<Size> recommendedSize) {
    /** An image size in pixels. */
    public record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    public static final ModelCard EMPTY = new ModelCard(Optional.empty(), Optional.empty(), Optional.empty());

    /** "512x512" or "64 × 64" at the start of the text. */
    private static final Pattern SIZE = Pattern.compile("^\\s*(\\d{1,5})\\s*[x×X]\\s*(\\d{1,5})(?!\\d)");
    /** Sizes a Generate request accepts (multiples of 8 in [64, 2048]); others would only fail later. */
    private static final int MIN_SIDE = 64;
    private static final int MAX_SIDE = 2048;

    public static ModelCard of(Map<String, String> metadata) {
        Optional<Size> size = size(metadata.get("modelspec.resolution"));
        if (size.isEmpty()) {
            size = size(metadata.get("recommended"));
        }
        return new ModelCard(text(metadata.get("modelspec.title")), text(metadata.get("modelspec.description")), size);
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    static Optional<Size> size(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(value);
        if (!m.find()) {
            return Optional.empty();
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        return usable(w) && usable(h) ? Optional.of(new Size(w, h)) : Optional.empty();
    }

    private static boolean usable(int side) {
        return side % 8 == 0 && side >= MIN_SIDE && side <= MAX_SIDE;
    }
}
