package io.stipple.app.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeRequest;

/** The Merge RPC. */
public final class MergeService {
    void merge(MergeRequest request, ServerCallStreamObserver<MergeEvent> call) {
        call.onError(Status.UNIMPLEMENTED.withDescription("Merge is not available in this build yet").asRuntimeException());
    }
}
