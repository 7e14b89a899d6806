package io.stipple.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr when it is a terminal; silent otherwise. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private boolean drawn;

    private ProgressBar(PrintStream out) {
        this.out = out;
    }

    static ProgressBar forTerminal() {
        return new ProgressBar(System.console() != null ? System.err : null);
    }

    synchronized void update(int step, int total, long elapsedMs) {
        if (out == null || total <= 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * step / total);
        double perStep = step == 0 ? 0 : elapsedMs / 1000.0 / step;
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + step + "/" + total
                + String.format(java.util.Locale.ROOT, "  %.2f s/step", perStep));
        out.flush();
        drawn = true;
    }

    synchronized void finish() {
        if (out != null && drawn) {
            out.println();
        }
    }
}
