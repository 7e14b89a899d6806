package io.stipple.app.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Request bytes that are not the method's message become INVALID_ARGUMENT. grpc-java parses a
 * request before any service code runs and turns a parse failure into UNKNOWN ("Application error
 * processing RPC"), which blames the server for the client's bytes; here each method receives the
 * raw bytes and parses them itself, so the failure is answered as what it is.
 */
public final class MalformedRequests {
    private MalformedRequests() {}

    /** {@code service} with every method's request parsed by us. */
    public static ServerServiceDefinition answeredAsInvalid(ServerServiceDefinition service) {
        ServiceDescriptor typed = service.getServiceDescriptor();
        List<ServerMethodDefinition<byte[], ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<byte[], ?>>map(MalformedRequests::rawRequests).toList();
        // the schema descriptor stays, so server reflection still describes the service
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(typed.getName()).setSchemaDescriptor(typed.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        return out.build();
    }

    private static <Q, R> ServerMethodDefinition<byte[], R> rawRequests(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
        MethodDescriptor<byte[], R> raw = typed.toBuilder(new BytesMarshaller(), typed.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(raw, new ParsingHandler<>(typed, method.getServerCallHandler()));
    }

    private record ParsingHandler<Q, R>(MethodDescriptor<Q, R> typed, ServerCallHandler<Q, R> handler)
            implements ServerCallHandler<byte[], R> {
        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], R> call, Metadata headers) {
            ServerCall.Listener<Q> inner = handler.startCall(new TypedCall<>(call, typed), headers);
            return new ServerCall.Listener<>() {
                private boolean refused;

                @Override
                public void onMessage(byte[] message) {
                    if (refused) {
                        return;
                    }
                    Q request;
                    try {
                        request = typed.parseRequest(new ByteArrayInputStream(message));
                    } catch (RuntimeException e) {
                        refused = true;
                        call.close(Status.INVALID_ARGUMENT.withDescription("request: " + message.length
                                + " bytes that are not a valid " + messageName() + " (expected: the message the .proto defines)"),
                                new Metadata());
                        return;
                    }
                    inner.onMessage(request);
                }

                @Override
                public void onHalfClose() {
                    if (!refused) {
                        inner.onHalfClose();
                    }
                }

                @Override
                public void onCancel() {
                    inner.onCancel();
                }

                @Override
                public void onComplete() {
                    inner.onComplete();
                }

                @Override
                public void onReady() {
                    if (!refused) {
                        inner.onReady();
                    }
                }
            };
        }

        private String messageName() {
            return typed.getRequestMarshaller() instanceof MethodDescriptor.ReflectableMarshaller<Q> m
                    ? m.getMessageClass().getSimpleName() : typed.getBareMethodName() + " request";
        }
    }

    /** The raw call as the service sees it: the same call, with the typed method descriptor. */
    private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<byte[], R> raw;
        private final MethodDescriptor<Q, R> typed;

        TypedCall(ServerCall<byte[], R> raw, MethodDescriptor<Q, R> typed) {
            this.raw = raw;
            this.typed = typed;
        }

        @Override
        public void request(int numMessages) {
            raw.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            raw.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            raw.sendMessage(message);
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public void close(Status status, Metadata trailers) {
            raw.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return raw.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            raw.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            raw.setCompression(compressor);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            raw.setOnReadyThreshold(numBytes);
        }

        @Override
        public io.grpc.Attributes getAttributes() {
            return raw.getAttributes();
        }

        @Override
        public String getAuthority() {
            return raw.getAuthority();
        }

        @Override
        public io.grpc.SecurityLevel getSecurityLevel() {
            return raw.getSecurityLevel();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return typed;
        }
    }

    /** Messages as their bytes, unparsed. */
    static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
