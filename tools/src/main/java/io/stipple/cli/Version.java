package io.stipple.cli;

import picocli.CommandLine.IVersionProvider;

final class Version implements IVersionProvider {
    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"stipple " + get(), "Java " + Runtime.version()};
    }
}
