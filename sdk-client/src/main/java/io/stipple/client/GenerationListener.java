package io.stipple.client;

import io.grpc.Status;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Preview;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.Result;

/**
 * Callbacks of an asynchronous generation, called on a gRPC thread, in stream order. Exactly one of
 * {@link #onCompleted} and {@link #onError} ends the stream.
 */
public interface GenerationListener {
    /** Jobs ahead of this one; called first, and again whenever the number changes. */
    default void onQueued(int position) {}

    /** The same with the job's id (for CancelJob and ListJobs); by default it calls {@link #onQueued(int)}. */
    default void onQueued(Queued queued) {
        onQueued(queued.getPosition());
    }

    default void onProgress(Progress progress) {}

    default void onPreview(Preview preview) {}

    default void onImage(Image image) {}

    /** The final summary; {@link #onCompleted} follows. */
    default void onResult(Result result) {}

    default void onCompleted() {}

    /** The generation failed or was cancelled; the status says why (INVALID_ARGUMENT names the field). */
    default void onError(Status status) {}
}
