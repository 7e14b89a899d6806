package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example clients in examples/ (Python and Node) against the real server on loopback with
 * bearer tokens required: each lists, generates with previews written to files, and cancels one
 * job by its stream and one with CancelJob. Node's packages come from examples/node/node_modules
 * (tools/test runs npm ci there).
 */
class ExampleClientsIT {
    @TempDir
    Path work;

    @Test
    void pythonAndNodeClientsGenerateStreamPreviewsSendATokenAndCancel() throws Exception {
        Path stubs = Files.createDirectories(work.resolve("stubs"));
        PythonHarness.generateStubs(stubs);
        Path tokens = Files.writeString(work.resolve("tokens"), "example-token\n");
        PythonHarness.Server server = PythonHarness.startServer("--backend", "cpu", "--auth-tokens", tokens.toString());
        try {
            String target = "127.0.0.1:" + server.port();
            Path pyOut = work.resolve("python");
            String py = PythonHarness.runPython(PythonHarness.REPO.resolve("examples/python/stipple_example.py"),
                    List.of("--target", target, "--stubs", stubs.toString(), "--token-file", tokens.toString(), "--out", pyOut.toString()), 300);
            System.out.println(py);
            checkRun("python", py, pyOut);

            Path nodeOut = work.resolve("node");
            String node = PythonHarness.run(List.of("node", PythonHarness.REPO.resolve("examples/node/stipple_example.js").toString(),
                    "--target", target, "--token-file", tokens.toString(), "--out", nodeOut.toString()), 300);
            System.out.println(node);
            checkRun("node", node, nodeOut);
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void checkRun(String client, String out, Path dir) throws Exception {
        assertTrue(out.contains("stipple-demo-shapes.safetensors"), client + " lists the models:\n" + out);
        assertTrue(out.contains("generated: OK, 9 files"), client + " writes 8 previews and the image:\n" + out);
        assertTrue(Files.exists(dir.resolve("picture-0.png")) && Files.exists(dir.resolve("picture-preview-08.png")), client);
        assertTrue(out.contains("cancelled by the stream: CANCELLED"), client + ":\n" + out);
        assertTrue(out.contains("CancelJob ") && out.contains(": was JOB_STATE_RUNNING"), client + " cancels with CancelJob:\n" + out);
        assertTrue(out.contains("cancelled by CancelJob: CANCELLED cancelled by CancelJob"), client + ":\n" + out);
    }
}
