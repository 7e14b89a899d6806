package io.stipple.app.grpc;

import io.stipple.app.jobs.Scheduling;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;

/** A request's {@code scheduling} field, checked; the same for Generate and Merge. */
final class SchedulingFields {
    static final int MAX_PRIORITY = 100;
    static final int MAX_CLIENT_ID_CHARS = 128;

    private SchedulingFields() {}

    static Scheduling of(boolean present, io.stipple.proto.v1.Scheduling s) {
        if (!present) {
            return Scheduling.DEFAULT;
        }
        if (s.getPriority() < -MAX_PRIORITY || s.getPriority() > MAX_PRIORITY) {
            throw new InvalidRequestException("scheduling.priority", s.getPriority() + " (expected: -" + MAX_PRIORITY + " to "
                    + MAX_PRIORITY + ")");
        }
        String client = s.getClientId();
        if (client.length() > MAX_CLIENT_ID_CHARS || client.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("scheduling.client_id", QuotedValue.of(client) + " (expected: at most "
                    + MAX_CLIENT_ID_CHARS + " characters, no control characters)");
        }
        return new Scheduling(s.getPriority(), client);
    }
}
