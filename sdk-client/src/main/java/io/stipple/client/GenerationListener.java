package io.stipple.client;

import io.grpc.Status;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Preview;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Result;

/**
 * Callbacks of an asynchronous generation, called on a gRPC thread, in stream order. Exactly one of
 * {@link #onCompleted} and {@link #onError} ends the stream.
 */
public interface GenerationListener {
    default void onQueued(int position) {}

    default void onProgress(Progress progress) {}

    default void onPreview(Preview preview) {}

    default void onImage(Image image) {}

    /** The final summary; {@link #onCompleted} follows. */
    default void onResult(Result result) {}

    default void onCompleted() {}

    /** The generation failed or was cancelled; the status says why (INVALID_ARGUMENT names the field). */
    default void onError(Status status) {}
}
