package io.stipple.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A name several plugins claim goes to the plugin whose id sorts first, whatever order PF4J found them in. */
class PluginRegistryTest {
    private static Named<Sampler> sampler(String name, String plugin) {
        Sampler s = new Sampler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public io.stipple.tensor.Tensor sample(io.stipple.plugin.api.Denoiser denoiser, io.stipple.tensor.Tensor x, float[] sigmas,
                    io.stipple.plugin.api.SamplingContext context) {
                return x;
            }
        };
        return new Named<>(name, plugin, s);
    }

    @Test
    void aClashGoesToTheFirstPluginIdInEveryLoadOrder() {
        List<Named<Sampler>> found = new ArrayList<>(List.of(sampler("euler", "samplers-k-diffusion"), sampler("euler", "my-samplers"),
                sampler("euler", "zz-samplers"), sampler("mine", "my-samplers")));
        for (int round = 0; round < 6; round++) {
            Collections.rotate(found, 1);
            if (round % 2 == 1) {
                Collections.swap(found, 0, 2);
            }
            PluginRegistry registry = new PluginRegistry(found, List.<Named<Scheduler>>of(), List.of(), List.of());
            Named<Sampler> euler = registry.samplers().stream().filter(s -> s.name().equals("euler")).findFirst().orElseThrow();
            assertEquals("my-samplers", euler.pluginId(), "load order " + found.stream().map(Named::pluginId).toList());
            assertSame(euler.extension(), registry.sampler("euler").orElseThrow());
            assertEquals(List.of("samplers-k-diffusion", "zz-samplers"), registry.ignoredPluginIds("sampler", "euler"));
            assertEquals(List.of(), registry.ignoredPluginIds("sampler", "mine"));
            assertEquals(List.of("euler", "mine"), registry.samplerNames());
        }
    }
}
