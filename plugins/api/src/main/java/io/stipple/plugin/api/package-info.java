/**
 * The extension points of Stipple. A plugin implements one or more of {@link io.stipple.plugin.api.Sampler},
 * {@link io.stipple.plugin.api.Scheduler}, {@link io.stipple.plugin.api.CheckpointFormat} and
 * {@link io.stipple.plugin.api.LoraAdapter}, marks the class with PF4J's {@code @Extension}, and is
 * packaged as a PF4J plugin jar. The bundled samplers, formats and adapters are plugins built the same way.
 *
 * <p>Plugins see this package and {@code io.stipple.tensor} only; never the engine, gRPC or Guice.
 */
package io.stipple.plugin.api;
