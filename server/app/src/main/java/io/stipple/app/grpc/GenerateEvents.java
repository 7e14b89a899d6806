package io.stipple.app.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.Preview;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.Result;

/** The events of one Generate call, sent by an {@link EventStream} (its rules on order and previews). */
final class GenerateEvents {
    private final EventStream<GenerateEvent> stream;

    /** Call before the first event: the ready handler must be set before the call starts sending. */
    GenerateEvents(ServerCallStreamObserver<GenerateEvent> call, StatusMapper statuses) {
        this.stream = new EventStream<>(call, statuses);
    }

    void queued(int position, String jobId) {
        stream.sendNow(GenerateEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(position).setJobId(jobId)).build());
    }

    void progress(int step, int total, float sigma, long elapsedMillis) {
        stream.sendNow(GenerateEvent.newBuilder().setProgress(Progress.newBuilder()
                .setStep(step).setTotalSteps(total).setSigma(sigma).setElapsedMs(elapsedMillis)).build());
    }

    boolean wantsPreview() {
        return stream.wantsPreview();
    }

    void preview(int step, boolean png, byte[] data, int width, int height) {
        stream.preview(GenerateEvent.newBuilder().setPreview(Preview.newBuilder().setStep(step)
                .setFormat(png ? ImageFormat.IMAGE_FORMAT_PNG : ImageFormat.IMAGE_FORMAT_JPEG)
                .setData(ByteString.copyFrom(data)).setWidth(width).setHeight(height)).build());
    }

    void image(Image image) {
        stream.send(GenerateEvent.newBuilder().setImage(image).build());
    }

    void result(Result result) {
        stream.complete(GenerateEvent.newBuilder().setResult(result).build());
    }

    String outcome() {
        return stream.outcome();
    }

    void fail(Throwable t) {
        stream.fail(t);
    }
}
