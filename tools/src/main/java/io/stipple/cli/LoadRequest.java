package io.stipple.cli;

import io.grpc.Status;
import io.stipple.client.Generation;
import io.stipple.client.GenerationListener;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Result;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request of a load run: sent, maybe cancelled at a step, and how its stream ended. It counts
 * every end the stream reports, so a request that ended twice or never is caught.
 */
final class LoadRequest {
    /** What a request ended with: its status, its images, how many times it ended, and when. */
    record Outcome(Status.Code code, int images, int ends, long latencyNanos, long queuedMillis) {}

    private LoadRequest() {}

    /**
     * @param cancelAtStep cancel the stream after this progress step; 0 for never
     */
    static Outcome run(StippleClient client, GenerateRequest request, int cancelAtStep, Duration timeout) throws InterruptedException {
        AtomicInteger ends = new AtomicInteger();
        AtomicInteger images = new AtomicInteger();
        long[] queuedMillis = {-1};
        Status.Code[] code = {null};
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Generation> self = new CompletableFuture<>();
        long started = System.nanoTime();
        Generation g = client.generateAsync(request, new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.getStep() == cancelAtStep) {
                    self.join().cancel(); // set as soon as generateAsync returns
                }
            }

            @Override
            public void onImage(Image image) {
                images.incrementAndGet();
            }

            @Override
            public void onResult(Result result) {
                queuedMillis[0] = result.getTimings().getQueuedMs();
            }

            @Override
            public void onCompleted() {
                end(Status.Code.OK);
            }

            @Override
            public void onError(Status status) {
                end(status.getCode());
            }

            private void end(Status.Code c) {
                if (ends.incrementAndGet() == 1) {
                    code[0] = c;
                }
                done.countDown();
            }
        });
        self.complete(g);
        boolean ended = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new Outcome(ended ? code[0] : null, images.get(), ends.get(), System.nanoTime() - started, queuedMillis[0]);
    }
}
