package io.stipple.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.SamplerInfo;
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
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's sampler plugin, built here as a user would build it (compiled against the plugin API,
 * packaged as a PF4J jar), dropped into the plugins folder: listed next to the bundled samplers and
 * usable by name.
 */
class UserPluginTest {
    private static final String SOURCE = """
            package com.example.sampling;

            import io.stipple.plugin.api.Denoiser;
            import io.stipple.plugin.api.Sampler;
            import io.stipple.plugin.api.SamplingContext;
            import io.stipple.tensor.Tensor;

            @org.pf4j.Extension
            public final class HalfStepSampler implements Sampler {
                public String name() { return "my_sampler"; }

                public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
                    for (int i = 0; i < sigmas.length - 1; i++) {
                        Tensor denoised = denoiser.denoise(x, sigmas[i]);
                        context.step(i, x, denoised, sigmas[i]);
                        x = x.add(x.sub(denoised).div(sigmas[i]).mul(sigmas[i + 1] - sigmas[i]));
                    }
                    return x;
                }
            }
            """;

    /** A second sampler that claims a bundled sampler's name, "euler". */
    private static final String CLASH = """
            package com.example.sampling;

            import io.stipple.plugin.api.Denoiser;
            import io.stipple.plugin.api.Sampler;
            import io.stipple.plugin.api.SamplingContext;
            import io.stipple.tensor.Tensor;

            @org.pf4j.Extension
            public final class OtherEuler implements Sampler {
                public String name() { return "euler"; }

                public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
                    return x;
                }
            }
            """;

    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(4, UserPluginTest::buildPluginJar);

    static void buildPluginJar(Path pluginsDir) throws IOException {
        Path work = Files.createTempDirectory("user-plugin-");
        Path src = work.resolve("src/com/example/sampling/HalfStepSampler.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path clash = Files.writeString(src.resolveSibling("OtherEuler.java"), CLASH);
        Path classes = Files.createDirectories(work.resolve("classes"));
        // as a user's build sees it: the plugin API (and the tensor types it exposes) and PF4J, nothing of the
        // server; PF4J's annotation processor writes the extension index
        String apiOnly = apiClassPath();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor", "-processorpath", apiOnly,
                "-cp", apiOnly, "-d", classes.toString(), src.toString(), clash.toString());
        assertEquals(0, rc, "the user's plugin did not compile against the plugin API alone");
        assertTrue(Files.readString(classes.resolve("META-INF/extensions.idx")).contains("com.example.sampling.HalfStepSampler"),
                "PF4J's annotation processor wrote the extension index");
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", "my-samplers");
        a.putValue("Plugin-Version", "1.0.0");
        a.putValue("Plugin-Provider", "a user");
        try (OutputStream out = Files.newOutputStream(pluginsDir.resolve("my-samplers-1.0.0.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jar.write(Files.readAllBytes(f));
                    jar.closeEntry();
                }
            }
        }
    }

    /** The entries of this test's class path that a plugin's own build would have: plugins/api, tensor, PF4J. */
    private static String apiClassPath() {
        List<String> entries = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> e.replace('\\', '/').matches(".*(plugins/api/target/classes|server/tensor/target/classes|stipple-plugin-api[^/]*\\.jar"
                        + "|stipple-tensor-[0-9][^/]*(SNAPSHOT|[0-9])\\.jar|/pf4j-[0-9][^/]*\\.jar)$"))
                .toList();
        assertEquals(3, entries.size(), "plugins/api, tensor and PF4J on the class path: " + entries);
        return String.join(java.io.File.pathSeparator, entries);
    }

    @Test
    void theUsersSamplerIsListedWithItsPlugin() {
        List<SamplerInfo> samplers = StippleClient.over(server.channel()).listSamplers().getSamplersList();
        var mine = samplers.stream().filter(s -> s.getName().equals("my_sampler")).findFirst();
        assertTrue(mine.isPresent(), samplers.toString());
        assertEquals("my-samplers", mine.get().getPluginId());
        assertTrue(samplers.stream().anyMatch(s -> s.getName().equals("dpmpp_2m")), "the bundled samplers are still there");
        // here the bundled samplers come from the class path, plugin id "system"; "my-samplers" sorts before it, so
        // the stated rule gives the user's plugin "euler", and the listing says whose was ignored
        var euler = samplers.stream().filter(s -> s.getName().equals("euler")).findFirst().orElseThrow();
        assertEquals("my-samplers", euler.getPluginId());
        assertEquals(List.of("system"), euler.getIgnoredPluginIdsList());
    }

    @Test
    void theUsersSamplerGenerates() {
        var output = StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setPrompt("a cat")
                .setWidth(64).setHeight(64).setSteps(3).setSeed(5).setSampler("my_sampler").build());
        assertEquals(1, output.images().size());
        assertTrue(output.images().getFirst().getParameters().contains("Sampler: my_sampler"));
    }
}
