package io.stipple.app.plugins;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The samplers, schedulers, checkpoint formats and LoRA adapters the loaded plugins supply, by name.
 * Names are open strings: a user's plugin adds to them. A name that several plugins claim goes to
 * the plugin whose id sorts first (a stated rule, not PF4J's load order, which varies); the others
 * are logged and reported by {@link #ignoredPluginIds}, which ListSamplers shows.
 */
public final class PluginRegistry {
    private final Map<String, Named<Sampler>> samplers;
    private final Map<String, Named<Scheduler>> schedulers;
    private final Map<String, List<String>> ignored = new java.util.HashMap<>();
    private final List<Named<CheckpointFormat>> formats;
    private final List<Named<LoraAdapter>> loraAdapters;

    public PluginRegistry(List<Named<Sampler>> samplers, List<Named<Scheduler>> schedulers,
            List<Named<CheckpointFormat>> formats, List<Named<LoraAdapter>> loraAdapters) {
        this.samplers = byName(samplers, "sampler");
        this.schedulers = byName(schedulers, "scheduler");
        this.formats = List.copyOf(formats);
        this.loraAdapters = List.copyOf(loraAdapters);
    }

    /**
     * By name in alphabetical order, each name's plugin the one whose id sorts first (PF4J finds
     * extensions in no particular order; listings and choices must not change between runs).
     */
    private <T> Map<String, Named<T>> byName(List<Named<T>> list, String kind) {
        Map<String, Named<T>> map = new LinkedHashMap<>();
        var order = java.util.Comparator.comparing(Named<T>::name).thenComparing(Named<T>::pluginId);
        for (Named<T> n : list.stream().sorted(order).toList()) {
            Named<T> winner = map.putIfAbsent(n.name(), n);
            if (winner != null) {
                ignored.computeIfAbsent(kind + ":" + n.name(), k -> new java.util.ArrayList<>()).add(n.pluginId());
                System.getLogger(PluginRegistry.class.getName()).log(System.Logger.Level.WARNING,
                        kind + " " + n.name() + " from plugin " + n.pluginId() + " ignored: plugin " + winner.pluginId()
                                + " supplies it (of plugins claiming one name, the id that sorts first wins)");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The plugins whose sampler or scheduler ({@code kind}) of this name was ignored for the winner's. */
    public List<String> ignoredPluginIds(String kind, String name) {
        return List.copyOf(ignored.getOrDefault(kind + ":" + name, List.of()));
    }

    public Optional<Sampler> sampler(String name) {
        return Optional.ofNullable(samplers.get(name)).map(Named::extension);
    }

    public Optional<Scheduler> scheduler(String name) {
        return Optional.ofNullable(schedulers.get(name)).map(Named::extension);
    }

    public List<Named<Sampler>> samplers() {
        return List.copyOf(samplers.values());
    }

    public List<Named<Scheduler>> schedulers() {
        return List.copyOf(schedulers.values());
    }

    public List<String> samplerNames() {
        return List.copyOf(samplers.keySet());
    }

    public List<String> schedulerNames() {
        return List.copyOf(schedulers.keySet());
    }

    public List<CheckpointFormat> formats() {
        return formats.stream().map(Named::extension).toList();
    }

    public List<LoraAdapter> loraAdapters() {
        return loraAdapters.stream().map(Named::extension).toList();
    }
}
