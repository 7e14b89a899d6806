package io.stipple.cli;

import picocli.CommandLine.Command;

@Command(name = "stipple", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Stable Diffusion inference server for the JVM.",
        subcommands = {ServeCommand.class, GenerateCommand.class, MergeCommand.class, ModelsCommand.class, InspectCommand.class,
            ConvertCommand.class, BenchCommand.class, MontageCommand.class, LoadCommand.class, RunCommand.class})
final class StippleCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
