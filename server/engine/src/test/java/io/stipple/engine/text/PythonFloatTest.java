package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PythonFloatTest {

    private static void assertValue(String text, double expected) {
        OptionalDouble v = PythonFloat.parse(text);
        assertTrue(v.isPresent(), "float(\"" + text + "\") should parse");
        assertEquals(expected, v.getAsDouble(), 0.0, "float(\"" + text + "\")");
    }

    private static void assertRejected(String text) {
        OptionalDouble v = PythonFloat.parse(text);
        assertTrue(v.isEmpty(), "float(\"" + text + "\") should raise ValueError, got " + v);
    }

    @Test
    void decimalForms() {
        assertValue("1.2", 1.2);
        assertValue("1", 1.0);
        assertValue("5.", 5.0);
        assertValue(".5", 0.5);
        assertValue("+.5e1", 5.0);
        assertValue("-0.5", -0.5);
        assertValue("1E-2", 0.01);
        assertValue("007", 7.0);
        assertValue("1e400", Double.POSITIVE_INFINITY);
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertValue(" 1.5 ", 1.5);
        assertValue("\t1.5\n", 1.5);
        assertValue("\u00a01.5\u3000", 1.5);
    }

    @Test
    void underscoresBetweenDigits() {
        assertValue("1_000", 1000.0);
        assertValue("1_0.2_5", 10.25);
        assertValue("1e1_0", 1e10);
        assertRejected("1__0");
        assertRejected("_1");
        assertRejected("1_");
        assertRejected("1_.5");
        assertRejected("1._5");
        assertRejected("in_f");
    }

    @Test
    void infinityAndNan() {
        assertValue("inf", Double.POSITIVE_INFINITY);
        assertValue("-Infinity", Double.NEGATIVE_INFINITY);
        assertValue("INF", Double.POSITIVE_INFINITY);
        assertTrue(Double.isNaN(PythonFloat.parse("nan").orElseThrow()));
        assertTrue(Double.isNaN(PythonFloat.parse("-NaN").orElseThrow()));
    }

    @Test
    void unicodeDecimalDigits() {
        assertValue("\u0661\u0662", 12.0);
        assertValue("\uff11.\uff15", 1.5);
        assertRejected("\u00bd");
        assertRejected("\u00b2");
    }

    @Test
    void whatPythonRejects() {
        assertRejected("");
        assertRejected("   ");
        assertRejected("abc");
        assertRejected("1.5f");
        assertRejected("1.5d");
        assertRejected("0x10");
        assertRejected("1 5");
        assertRejected("1e");
        assertRejected("e5");
        assertRejected(".");
        assertRejected("--1");
        assertRejected("1.2.3");
        assertRejected("Infinity1");
        assertRejected("infinit");
    }
}
