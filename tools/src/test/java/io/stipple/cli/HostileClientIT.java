package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite (tools/src/test/python/hostile_client_test.py) against the real server on
 * loopback: names, links, sizes, images, latents, prompts, malformed bytes, and SIGTERM while a job
 * runs. The models folder holds the tiny checkpoint, a LoRA, a symlinked folder pointing outside,
 * and a ".safetensors" link to a file that is no model.
 */
class HostileClientIT {
    @TempDir
    Path stubs;

    @TempDir
    Path models;

    @TempDir
    Path outside;

    @Test
    void everyHostileInputGetsItsStatusAndTheServerGoesOn() throws Exception {
        Path golden = PythonHarness.REPO.resolve("testdata/golden");
        Path checkpoints = Files.createDirectories(models.resolve("checkpoints"));
        Files.createSymbolicLink(checkpoints.resolve("sd15_tiny.safetensors"), golden.resolve("models/sd15_tiny.safetensors"));
        Files.createSymbolicLink(Files.createDirectories(models.resolve("loras")).resolve("lora_a.safetensors"),
                golden.resolve("lora/lora_a.safetensors"));
        Files.createSymbolicLink(checkpoints.resolve("linkdir"), outside);
        Files.createSymbolicLink(checkpoints.resolve("passwd.safetensors"), Files.writeString(outside.resolve("passwd"), "root:x:0:0"));
        Path config = Files.writeString(models.resolve("stipple.properties"), "shutdown_grace_seconds=1\n");

        PythonHarness.generateStubs(stubs);
        PythonHarness.Server server = PythonHarness.startServer("--backend", "cpu", "--models", models.toString(),
                "--config", config.toString());
        try {
            String out = PythonHarness.runPython(PythonHarness.REPO.resolve("tools/src/test/python/hostile_client_test.py"),
                    List.of("--target", "127.0.0.1:" + server.port(), "--stubs", stubs.toString(), "--models", models.toString(),
                            "--outside", outside.toString(), "--pid", Long.toString(server.process().pid())), 600);
            System.out.println(out); // each check on its own line, in the test report
            assertTrue(out.contains("0 failure(s)"), out);
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            assertEquals(List.of("passwd"), List.of(outside.toFile().list()), "nothing written outside the models folder");
            String log = String.join("\n", server.output());
            assertTrue(log.contains("loaded sd15 model"), "the server's output after the NUL requests still arrives:\n" + log);
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
