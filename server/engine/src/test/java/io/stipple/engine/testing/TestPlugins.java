package io.stipple.engine.testing;

import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The plugin extensions on the test class path, found as PF4J finds them: through META-INF/extensions.idx. */
public final class TestPlugins {
    private TestPlugins() {}

    public static Sampler sampler(String name) {
        return extensions(Sampler.class).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sampler " + name));
    }

    public static Scheduler scheduler(String name) {
        return extensions(Scheduler.class).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scheduler " + name));
    }

    public static <T> List<T> extensions(Class<T> type) {
        List<T> out = new ArrayList<>();
        try {
            for (URL url : Collections.list(TestPlugins.class.getClassLoader().getResources("META-INF/extensions.idx"))) {
                try (var in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    for (String line : in.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
                        Class<?> c = Class.forName(line);
                        if (type.isAssignableFrom(c)) {
                            out.add(type.cast(c.getDeclaredConstructor().newInstance()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
