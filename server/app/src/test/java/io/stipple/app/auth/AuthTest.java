package io.stipple.app.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.stipple.app.testing.Reflection;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bearer tokens: every RPC but health refuses a missing or wrong token with UNAUTHENTICATED; the file reloads. */
class AuthTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(16, plugins -> {},
            (b, home) -> b.authTokens(Files.writeString(home.resolve("tokens"), "# the team's tokens\nalpha-token\n\nbeta-token\n")));

    private static final GenerateRequest GENERATE = GenerateRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setPrompt("a cat").setWidth(64).setHeight(64)
            .setSteps(1).setSeed(1).build();

    /** Every RPC of the Stipple service, through a client. */
    private static final List<Consumer<StippleClient>> CALLS = List.of(
            c -> c.generate(GENERATE),
            c -> c.merge(MergeRequest.newBuilder().setModelA("sd15_tiny.safetensors").setRecipe(MergeRecipe.newBuilder()
                    .setModelB("sd15_tiny.safetensors")).setOutputName("m.safetensors").build()).forEachRemaining(e -> {}),
            StippleClient::listModels,
            StippleClient::listSamplers,
            StippleClient::listJobs,
            c -> c.cancelJob("x"));

    private static void unauthenticated(StippleClient client, String message) {
        for (Consumer<StippleClient> call : CALLS) {
            var e = assertThrows(StatusRuntimeException.class, () -> call.accept(client));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
        }
    }

    @Test
    void aMissingOrWrongTokenIsUnauthenticatedOnEveryRpc() {
        StippleClient anonymous = StippleClient.over(server.channel());
        unauthenticated(anonymous, "missing the authorization header");
        unauthenticated(anonymous.withToken("gamma-token"), "unknown bearer token");
        var reflection = assertThrows(Exception.class, () -> Reflection.services(server.channel()));
        assertTrue(reflection.getMessage().contains("UNAUTHENTICATED"), reflection.toString());
    }

    @Test
    void healthAnswersWithoutAToken() {
        var health = HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    }

    @Test
    void aKnownTokenIsLetThrough() {
        StippleClient client = StippleClient.over(server.channel()).withToken("beta-token");
        assertEquals(1, client.generate(GENERATE).images().size());
        assertTrue(client.listSamplers().getSamplersCount() > 0);
    }

    @Test
    void theTokenFileIsReadAgainWhenItChanges() throws Exception {
        Path file = Files.writeString(server.home().resolve("rotating-tokens"), "alpha-token\n");
        TokenFile tokens = new TokenFile(file);
        assertTrue(tokens.accepts("alpha-token"));
        // replaced as editors and config management do: a new file renamed over the old
        Path next = Files.writeString(server.home().resolve("rotating-tokens.new"), "delta-token\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        tokens.recheckNow();
        assertTrue(tokens.accepts("delta-token"), "a token added is accepted");
        assertTrue(!tokens.accepts("alpha-token"), "a token removed is refused");
        Files.delete(file);
        tokens.recheckNow();
        assertTrue(tokens.accepts("delta-token"), "an unreadable file keeps the last tokens read");
    }

    @Test
    void aFileWithoutTokensIsRefusedAtStart() throws Exception {
        Path empty = Files.writeString(server.home().resolve("empty-tokens"), "# nothing yet\n");
        var e = assertThrows(IllegalArgumentException.class, () -> new TokenFile(empty));
        assertTrue(e.getMessage().endsWith("holds no token (expected: one per line)"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> new TokenFile(server.home().resolve("no-such-tokens")));
        assertEquals("cannot read the auth tokens file " + server.home().resolve("no-such-tokens") + " (no such file)", missing.getMessage());
    }
}
