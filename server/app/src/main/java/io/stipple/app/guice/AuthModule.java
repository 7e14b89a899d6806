package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.app.auth.TokenFile;
import io.stipple.app.config.ServerConfig;

/** Bearer tokens, read from the configured file when the server first asks for them. */
public final class AuthModule extends AbstractModule {
    @Provides
    @Singleton
    TokenFile tokens(ServerConfig config) {
        if (config.authTokens() == null) {
            throw new IllegalStateException("no --auth-tokens file is configured");
        }
        return new TokenFile(config.authTokens());
    }
}
