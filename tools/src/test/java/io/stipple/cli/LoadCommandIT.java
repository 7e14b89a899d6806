package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** stipple load against an embedded server with the demo model: every request accounted for, a quarter cancelled. */
class LoadCommandIT {
    @Test
    void everyRequestEndsExactlyOnce() {
        var run = CliRunner.run("load", "--clients", "4", "--requests", "16", "--cancel-fraction", "0.25", "--steps", "4", "--backend", "cpu");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("accounted for: 16 of 16 requests"), run.out());
        assertTrue(run.out().contains("CANCELLED="), "some were cancelled: " + run.out());
        assertTrue(run.out().contains("throughput: "), run.out());
    }

    @Test
    void badFiguresAreOneLine() {
        var run = CliRunner.run("load", "--cancel-fraction", "2");
        assertEquals(2, run.exitCode());
        assertEquals("stipple load: --cancel-fraction: 2.0 (expected: 0 to 1)", run.err().strip());
    }
}
