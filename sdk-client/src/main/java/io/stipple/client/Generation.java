package io.stipple.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running asynchronous generation: cancel it, or wait for its images. The listener sees every
 * event as it arrives.
 */
public final class Generation {
    private final CompletableFuture<GenerationOutput> done = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<GenerateRequest> call;
    private volatile boolean cancelRequested;

    Generation() {}

    ClientResponseObserver<GenerateRequest, GenerateEvent> observer(GenerationListener listener) {
        return new ClientResponseObserver<>() {
            private final List<Image> images = new ArrayList<>();
            private Result result;

            @Override
            public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
                call = requestStream;
                if (cancelRequested) {
                    requestStream.cancel("cancelled by the client", null);
                }
            }

            @Override
            public void onNext(GenerateEvent event) {
                switch (event.getEventCase()) {
                    case QUEUED -> listener.onQueued(event.getQueued());
                    case PROGRESS -> listener.onProgress(event.getProgress());
                    case PREVIEW -> listener.onPreview(event.getPreview());
                    case IMAGE -> {
                        images.add(event.getImage());
                        listener.onImage(event.getImage());
                    }
                    case RESULT -> {
                        result = event.getResult();
                        listener.onResult(result);
                    }
                    case EVENT_NOT_SET -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                listener.onError(status);
                done.completeExceptionally(status.asRuntimeException());
            }

            @Override
            public void onCompleted() {
                listener.onCompleted();
                done.complete(new GenerationOutput(List.copyOf(images), result));
            }
        };
    }

    /** Stops the generation; the server stops the job at its next step. */
    public void cancel() {
        cancelRequested = true;
        var c = call;
        if (c != null) {
            c.cancel("cancelled by the client", null);
        }
    }

    public boolean isDone() {
        return done.isDone();
    }

    /**
     * Waits for the generation to end.
     *
     * @throws StatusRuntimeException with the server's status if it failed or was cancelled
     */
    public GenerationOutput await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
