package io.stipple.lora.lycoris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraAdapter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** PF4J finds the adapters through META-INF/extensions.idx, written by its annotation processor. */
class ExtensionIndexTest {

    @Test
    void everyAdapterIsAnIndexedExtensionWithItsOwnName() throws IOException, URISyntaxException {
        // the plugin's own index (the test class path holds others, from the API and PF4J jars)
        Path index = Path.of(LowRankAdapter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("META-INF/extensions.idx");
        assertTrue(Files.isRegularFile(index), "no " + index + ": the PF4J annotation processor did not run");
        Set<String> indexed = Files.readAllLines(index, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).collect(Collectors.toSet());
        List<Class<? extends LoraAdapter>> adapters = List.of(LowRankAdapter.class, LohaAdapter.class, LokrAdapter.class, GloraAdapter.class,
                BoftAdapter.class, OftAdapter.class, DiffAdapter.class);
        assertEquals(adapters.stream().map(Class::getName).collect(Collectors.toSet()), indexed);
        Set<String> names = adapters.stream().map(c -> {
            try {
                return c.getDeclaredConstructor().newInstance().name();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet());
        assertEquals(Set.of("lora", "loha", "lokr", "glora", "boft", "oft", "diff"), names);
    }
}
