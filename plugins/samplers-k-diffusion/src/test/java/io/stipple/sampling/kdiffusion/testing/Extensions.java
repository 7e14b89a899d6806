package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin's extensions as PF4J finds them: the class names PF4J's annotation processor wrote to
 * {@code META-INF/extensions.idx} at compile time, each made with its public no-argument
 * constructor. A missing index means the processor did not run.
 */
public final class Extensions {
    private static final Path INDEX = Path.of("target/classes/META-INF/extensions.idx");

    private Extensions() {}

    public static List<String> classNames() {
        if (!Files.isRegularFile(INDEX)) {
            throw new AssertionError(INDEX.toAbsolutePath() + " is missing: PF4J's annotation processor did not run");
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(INDEX)) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Sampler> samplers() {
        return instances(Sampler.class);
    }

    public static List<Scheduler> schedulers() {
        return instances(Scheduler.class);
    }

    public static Sampler sampler(String name) {
        return samplers().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no sampler extension named " + name));
    }

    public static Scheduler scheduler(String name) {
        return schedulers().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no scheduler extension named " + name));
    }

    private static <T> List<T> instances(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (String name : classNames()) {
            try {
                Class<?> c = Class.forName(name);
                if (type.isAssignableFrom(c)) {
                    out.add(type.cast(c.getConstructor().newInstance()));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("extension " + name + " cannot be instantiated as PF4J would: " + e, e);
            }
        }
        return out;
    }
}
