package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real server's --comfy-port on loopback, called by a Python client written as ComfyUI's own
 * websockets_api_example.py is: ComfyUI's API examples work unchanged. Needs Debian's
 * python3-websocket (tools/test installs it).
 */
class ComfyPythonClientIT {
    @Test
    void comfyUisWebsocketExampleRunsTheDemoPrompt() throws Exception {
        PythonHarness.Server server = PythonHarness.startServer("--backend", "cpu", "--comfy-port", "0");
        try {
            String serving = server.output().stream().filter(l -> l.contains("serving on")).findFirst().orElseThrow();
            Matcher m = Pattern.compile("ComfyUI API on port (\\d+)").matcher(serving);
            assertTrue(m.find(), serving);
            String out = PythonHarness.run(List.of("/usr/bin/python3",
                    PythonHarness.REPO.resolve("tools/src/test/python/comfy_websockets_api_test.py").toString(),
                    "--server", "127.0.0.1:" + m.group(1),
                    "--manifest", PythonHarness.REPO.resolve("testdata/golden/demo-model/e2e/manifest.json").toString()), 300);
            System.out.println(out); // each check on its own line, in the test report
            assertTrue(out.contains("0 failure(s)"), out);
        } finally {
            server.process().destroy();
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server did not shut down on SIGTERM");
        }
    }
}
