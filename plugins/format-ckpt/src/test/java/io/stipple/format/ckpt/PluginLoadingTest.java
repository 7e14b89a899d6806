package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/** The plugin, packed as a jar the way the build packs it, is found by PF4J as a user's plugin would be. */
class PluginLoadingTest {

    @Test
    void pf4jLoadsTheJarAndFindsTheFormat(@TempDir Path plugins) throws Exception {
        jar(Path.of("target", "classes"), plugins.resolve("stipple-format-ckpt.jar"));
        PluginManager manager = new DefaultPluginManager(plugins);
        manager.loadPlugins();
        manager.startPlugins();
        try {
            // By plugin id: the test's class path holds the same index, which PF4J lists as the application's.
            List<CheckpointFormat> formats = manager.getExtensions(CheckpointFormat.class, "ckpt");
            assertEquals(List.of("ckpt"), formats.stream().map(CheckpointFormat::name).toList());
            CheckpointFormat format = formats.get(0);
            assertNotSame(CkptFormat.class, format.getClass(), "loaded by the plugin's own class loader");
            try (TensorIndex index = format.open(Fixtures.file("views.pt"))) {
                assertEquals(10, index.tensors().size());
            }
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }

    /** The plugin's classes with the manifest plugins/pom.xml gives every plugin jar. */
    private static void jar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", "ckpt");
        a.putValue("Plugin-Version", "0.1.0-SNAPSHOT");
        a.putValue("Plugin-Provider", "Stipple");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
