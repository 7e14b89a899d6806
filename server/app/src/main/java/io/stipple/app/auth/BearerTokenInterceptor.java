package io.stipple.app.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} naming a token of the
 * {@link TokenFile}; otherwise it ends at once with UNAUTHENTICATED, before any service code runs.
 * Installed on every service except health, which load balancers call without credentials.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "bearer ";

    private final TokenFile tokens;

    public BearerTokenInterceptor(TokenFile tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null) {
            return refuse(call, "missing the authorization header (expected: authorization: Bearer <token>)");
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return refuse(call, "the authorization header is not a bearer token (expected: authorization: Bearer <token>)");
        }
        if (!tokens.accepts(header.substring(SCHEME.length()).strip())) {
            return refuse(call, "unknown bearer token (expected: one of the server's --auth-tokens)");
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
