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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests that drive the real server from Python share: the launcher on a loopback port,
 * stubs that protoc generates from proto/, and a Python with grpcio. Needs Debian's python3-grpcio,
 * python3-protobuf, protobuf-compiler and protobuf-compiler-grpc (tools/test installs them).
 */
final class PythonHarness {
    static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath();

    /** A started server and every line it printed so far. */
    record Server(Process process, int port, List<String> output) {}

    private PythonHarness() {}

    /** Generates the Python stubs of stipple.proto into {@code dir}. */
    static void generateStubs(Path dir) throws Exception {
        run(List.of("protoc", "-I", REPO.resolve("proto/src/main/proto").toString(), "--python_out=" + dir,
                "--grpc_python_out=" + dir, "--plugin=protoc-gen-grpc_python=" + which("grpc_python_plugin"),
                "stipple/v1/stipple.proto"), 60);
    }

    /** {@code tools/stipple serve --port 0 ARGS}, once it says where it serves. */
    static Server startServer(String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(REPO.resolve("tools/stipple").toString(), "serve", "--port", "0"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        return new Server(process, awaitPort(process, output), output);
    }

    /** Runs a Python script; returns what it printed, failing the test on a non-zero exit. */
    static String runPython(Path script, List<String> args, int timeoutSeconds) throws Exception {
        List<String> command = new ArrayList<>(List.of(findPython(), script.toString()));
        command.addAll(args);
        return run(command, timeoutSeconds);
    }

    private static int awaitPort(Process server, List<String> output) throws IOException {
        Pattern serving = Pattern.compile("serving on [^:]+:(\\d+)");
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            output.add(line);
            Matcher m = serving.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> lines.lines().forEach(output::add), "server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        fail("the server exited before serving:\n" + String.join("\n", output));
        return -1;
    }

    static String run(List<String> command, int timeoutSeconds) throws Exception {
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

    private static String which(String tool) {
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
