package io.stipple.app.models;

import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.checkpoint.ModelCard;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a model file's {@link ModelCard}. Opening reads only the header (safetensors maps the file
 * and parses its JSON header), so it is cheap enough to do per listing and per request instead of
 * keeping a cache that would have to notice replaced files.
 */
public final class ModelCards {
    private final CheckpointOpener opener;

    public ModelCards(CheckpointOpener opener) {
        this.opener = opener;
    }

    /**
     * The file's card, or {@link ModelCard#EMPTY} when it cannot be read: a listing must not fail for
     * one damaged file, and Generate reports why a file is unreadable when it loads the model. Only
     * safetensors files carry metadata; a .ckpt would have to be unpickled to learn it has none.
     */
    public ModelCard read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".safetensors") && !name.endsWith(".sft")) {
            return ModelCard.EMPTY;
        }
        try (TensorIndex index = opener.open(file)) {
            return ModelCard.of(index.metadata());
        } catch (IOException | RuntimeException e) {
            return ModelCard.EMPTY;
        }
    }
}
