package io.stipple.app.plugins;

/**
 * An extension with the name requests use and the plugin that supplies it.
 *
 * @param pluginId the PF4J plugin id, or "system" for extensions found on the application class path
 */
public record Named<T>(String name, String pluginId, T extension) {}
