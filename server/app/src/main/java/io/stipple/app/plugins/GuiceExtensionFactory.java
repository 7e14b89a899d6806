package io.stipple.app.plugins;

import com.google.inject.Injector;
import org.pf4j.ExtensionFactory;

/**
 * Creates PF4J extensions through Guice, so a plugin's extension may take constructor-injected
 * dependencies ({@code jakarta.inject.Inject}) without importing Guice. Extensions are created once
 * and reused: samplers and formats hold no per-request state.
 */
final class GuiceExtensionFactory implements ExtensionFactory {
    private final Injector injector;

    GuiceExtensionFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        return injector.getInstance(extensionClass);
    }
}
