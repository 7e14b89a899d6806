package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A .ckpt whose pickle would run a shell command: refused, nothing runs, and the server goes on serving. */
class HostileModelTest {
    private static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "stipple-pwned-" + ProcessHandle.current().pid());

    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(4, plugins -> { });

    /** torch.save's layout with a data.pkl that calls os.system("touch MARKER"). */
    static byte[] maliciousCheckpoint() throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2});
        pickle.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + MARKER).getBytes(StandardCharsets.UTF_8);
        pickle.write('X');
        pickle.write(new byte[] {(byte) cmd.length, (byte) (cmd.length >> 8), 0, 0});
        pickle.write(cmd);
        pickle.write(new byte[] {(byte) 0x85, 'R', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            store(z, "archive/data.pkl", pickle.toByteArray());
            store(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return zip.toByteArray();
    }

    private static void store(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    @Test
    void aPickleThatNamesOsSystemIsRefusedAndNothingRuns() throws IOException {
        Path file = server.home().resolve("models/checkpoints/evil.ckpt");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(maliciousCheckpoint());
        }
        var client = StippleClient.over(server.channel());
        var e = assertThrows(StatusRuntimeException.class, () -> client.generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("evil.ckpt")).setPrompt("x").setWidth(64).setHeight(64).setSteps(1).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("evil.ckpt"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("os.system"), e.getStatus().getDescription());
        assertFalse(Files.exists(MARKER), "the pickle's payload ran");
        var output = client.generate(GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.ckpt"))
                .setPrompt("still serving").setWidth(64).setHeight(64).setSteps(1).setSeed(1).build());
        assertEquals(1, output.images().size(), "the server goes on serving (from the real .ckpt)");
    }
}
