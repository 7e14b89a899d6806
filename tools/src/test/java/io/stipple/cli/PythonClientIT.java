package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server (the launcher script, the assembled distribution) on a loopback port, called by a
 * Python client whose stubs protoc generates from proto/ here: the contract works for a service in
 * another language.
 */
class PythonClientIT {
    @TempDir
    Path stubs;

    @Test
    void aPythonClientListsGeneratesAndGetsFieldErrors() throws Exception {
        PythonHarness.generateStubs(stubs);
        PythonHarness.Server server = PythonHarness.startServer("--backend", "cpu");
        try {
            String out = PythonHarness.runPython(PythonHarness.REPO.resolve("tools/src/test/python/stipple_client_test.py"),
                    List.of("--target", "127.0.0.1:" + server.port(), "--stubs", stubs.toString()), 300);
            System.out.println(out); // each check on its own line, in the test report
            assertTrue(out.contains("0 failure(s)"), out);
        } finally {
            server.process().destroy();
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server did not shut down on SIGTERM");
        }
    }
}
