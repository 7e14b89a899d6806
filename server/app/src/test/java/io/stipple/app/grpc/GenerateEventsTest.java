package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.GenerateEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preview slot: a client that reads nothing costs the worker no preview encodes. */
class GenerateEventsTest {
    /** A call whose transport readiness the test sets. */
    private static final class FakeCall extends ServerCallStreamObserver<GenerateEvent> {
        final List<GenerateEvent> sent = new ArrayList<>();
        boolean ready;
        Runnable onReady = () -> {};

        @Override public boolean isCancelled() { return false; }
        @Override public void setOnCancelHandler(Runnable r) {}
        @Override public void setCompression(String c) {}
        @Override public boolean isReady() { return ready; }
        @Override public void setOnReadyHandler(Runnable r) { onReady = r; }
        @Override public void request(int n) {}
        @Override public void setMessageCompression(boolean e) {}
        @Override public void disableAutoInboundFlowControl() {}
        @Override public void onNext(GenerateEvent e) { sent.add(e); }
        @Override public void onError(Throwable t) {}
        @Override public void onCompleted() {}
    }

    @Test
    void noNewPreviewIsWantedWhileOneWaitsForASlowClient() {
        FakeCall call = new FakeCall();
        GenerateEvents events = new GenerateEvents(call, new StatusMapper());
        assertTrue(events.wantsPreview());
        events.preview(1, true, new byte[] {1}, 8, 8);
        assertEquals(0, call.sent.size(), "the transport is not ready: the preview waits in the slot");
        assertFalse(events.wantsPreview(), "no preview is rendered and encoded while the slot is full");

        call.ready = true;
        call.onReady.run();
        assertEquals(1, call.sent.size(), "the waiting preview goes out when the client catches up");
        assertTrue(events.wantsPreview());
    }
}
