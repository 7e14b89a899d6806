package io.stipple.cli;

import picocli.CommandLine;

/** Entry point of the {@code stipple} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Logging.configure();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new StippleCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
