package io.stipple.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void settingsApplyAndFoldersResolveAgainstTheFile() throws Exception {
        Path file = dir.resolve("stipple.properties");
        Files.writeString(file, "port=9000\nhost=0.0.0.0\nmodels=m\nplugins=/opt/p\nbackend=cpu\nqueue=3\ncached_models=2\nshutdown_grace_seconds=5\n");
        ServerConfig c = ConfigFile.apply(file, ServerConfig.defaults(Path.of("/home")));
        assertEquals(9000, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(dir.toAbsolutePath().resolve("m"), c.modelsDir());
        assertEquals(Path.of("/opt/p"), c.pluginsDir());
        assertEquals(Backend.CPU, c.backend());
        assertEquals(3, c.queueCapacity());
        assertEquals(2, c.cachedModels());
        assertEquals(Duration.ofSeconds(5), c.shutdownGrace());
        assertEquals(-1, c.comfyPort(), "the ComfyUI API is off by default");
    }

    @Test
    void comfyPortTurnsOnComfyUisApi() throws Exception {
        Path file = dir.resolve("comfy.properties");
        Files.writeString(file, "comfy_port=8188\n");
        assertEquals(8188, ConfigFile.apply(file, ServerConfig.defaults(dir)).comfyPort());
        Files.writeString(file, "comfy_port=-2\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.apply(file, ServerConfig.defaults(dir)));
        assertEquals(file + ": comfy_port: -2 (expected: an integer in [0, 65535])", e.getMessage());
    }

    @Test
    void typosAndBadValuesAreErrorsNamingTheSetting() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "prot=9000\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.apply(file, ServerConfig.defaults(dir)));
        assertEquals(file + ": unknown setting prot (expected: one of ", e.getMessage().substring(0, e.getMessage().indexOf('[')));
        Files.writeString(file, "port=70000\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.apply(file, ServerConfig.defaults(dir)));
        assertEquals(file + ": port: 70000 (expected: an integer in [0, 65535])", e.getMessage());
        Files.writeString(file, "backend=tpu\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.apply(file, ServerConfig.defaults(dir)));
        assertEquals("backend: tpu (expected: one of auto, cpu, cuda, cuda-emulated)", e.getMessage());
    }
}
