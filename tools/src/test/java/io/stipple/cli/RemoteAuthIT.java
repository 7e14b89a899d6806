package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server that wants bearer tokens: --token-file gets in, no token is one line and exit 2. */
class RemoteAuthIT {
    @TempDir
    Path home;

    @Test
    void theTokenFileIsSentAndAMissingTokenIsOneLine() throws Exception {
        Files.createDirectories(home.resolve("models/checkpoints"));
        Path tokens = Files.writeString(home.resolve("tokens"), "s3cret\n");
        ServerConfig config = ServerConfig.defaults(home).toBuilder().port(0).backend(Backend.CPU).authTokens(tokens)
                .pluginsDir(Distribution.home().resolve("plugins")).build();
        try (StippleServer server = Main.server(config).startTcp()) {
            String target = "127.0.0.1:" + server.port();
            var ok = CliRunner.run("models", "--server", target, "--token-file", tokens.toString());
            assertEquals(0, ok.exitCode(), ok.err());
            assertTrue(ok.out().contains("euler"), ok.out());

            var refused = CliRunner.run("models", "--server", target);
            assertEquals(2, refused.exitCode(), refused.err());
            assertEquals("stipple models: missing the authorization header (expected: authorization: Bearer <token>)",
                    refused.err().strip());

            var wrong = CliRunner.run("models", "--server", target, "--token-file", Files.writeString(home.resolve("old"), "old\n").toString());
            assertEquals("stipple models: unknown bearer token (expected: one of the server's --auth-tokens)", wrong.err().strip());

            var missing = CliRunner.run("models", "--server", target, "--token-file", home.resolve("nope").toString());
            assertEquals(2, missing.exitCode());
            assertTrue(missing.err().startsWith("stipple models: --token-file " + home.resolve("nope") + ": cannot read it"), missing.err());
        }
    }
}
