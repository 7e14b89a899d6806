package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server (the launcher script, the assembled distribution) on a loopback port, called by a
 * Python client whose stubs protoc generates from proto/ here: the contract works for a service in
 * another language. Needs Debian's python3-grpcio, python3-protobuf, protobuf-compiler and
 * protobuf-compiler-grpc (tools/test installs them).
 */
class PythonClientIT {
    private static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath();

    @TempDir
    Path stubs;

    @Test
    void aPythonClientListsGeneratesAndGetsFieldErrors() throws Exception {
        String python = findPython();
        run(List.of("protoc", "-I", REPO.resolve("proto/src/main/proto").toString(), "--python_out=" + stubs,
                "--grpc_python_out=" + stubs, "--plugin=protoc-gen-grpc_python=" + which("grpc_python_plugin"),
                "stipple/v1/stipple.proto"), 60);
        Process server = new ProcessBuilder(REPO.resolve("tools/stipple").toString(), "serve", "--port", "0", "--backend", "cpu")
                .redirectErrorStream(true).start();
        try {
            int port = awaitPort(server);
            String out = run(List.of(python, REPO.resolve("tools/src/test/python/stipple_client_test.py").toString(),
                    "--target", "127.0.0.1:" + port, "--stubs", stubs.toString()), 300);
            assertTrue(out.contains("0 failure(s)"), out);
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not shut down on SIGTERM");
        }
    }

    private static int awaitPort(Process server) throws IOException {
        Pattern serving = Pattern.compile("serving on [^:]+:(\\d+)");
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = serving.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        fail("the server exited before serving:\n" + seen);
        return -1;
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }

    private static String findPython() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            Process p = new ProcessBuilder(candidate, "-c", "import grpc, google.protobuf").redirectErrorStream(true).start();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return candidate;
            }
        }
        fail("no python3 with grpc and protobuf: install Debian's python3-grpcio and python3-protobuf (tools/test does)");
        return null;
    }

    private static String which(String tool) throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(tool + " not found: install Debian's protobuf-compiler-grpc (tools/test does)");
        return null;
    }
}
