package io.stipple.engine.text;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Python's {@code float(str)}, which decides whether "(word:x)" carries a weight. It accepts more
 * than a plain decimal ("1_000", " 1.5 ", "inf", "-nan", "١٫٥"-style Unicode digits) and rejects
 * what Java's {@code Double.parseDouble} would take ("1.5f", "0x1p3", "Infinity " with a suffix).
 * The grammar: optional surrounding whitespace, an optional sign, then "inf", "infinity" or "nan"
 * (any case), or digits with an optional point and exponent, where a single underscore may sit
 * between two digits.
 */
final class PythonFloat {
    private PythonFloat() {}

    /** The value {@code float(text)} returns, or empty where it raises ValueError. */
    static OptionalDouble parse(String text) {
        String ascii = toAscii(PythonText.strip(text));
        if (ascii == null || ascii.isEmpty()) {
            return OptionalDouble.empty();
        }
        int i = 0;
        boolean negative = false;
        if (ascii.charAt(0) == '+' || ascii.charAt(0) == '-') {
            negative = ascii.charAt(0) == '-';
            i = 1;
        }
        String body = ascii.substring(i);
        String lower = body.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (lower.equals("nan")) {
            return OptionalDouble.of(Double.NaN);
        }
        String digits = withoutUnderscores(body);
        if (digits == null || !isDecimal(digits)) {
            return OptionalDouble.empty();
        }
        // Both sides round correctly from the decimal string, so the doubles agree bit for bit.
        double v = Double.parseDouble(digits);
        return OptionalDouble.of(negative ? -v : v);
    }

    /** Unicode decimal digits become ASCII digits; any other non-ASCII character makes the text invalid (null). */
    private static String toAscii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                sb.append((char) cp);
            } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                sb.append((char) ('0' + Character.digit(cp, 10)));
            } else {
                return null;
            }
        }
        return sb.toString();
    }

    /** The text without underscores, or null where one is not between two digits. */
    private static String withoutUnderscores(String s) {
        if (s.indexOf('_') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                boolean between = i > 0 && i + 1 < s.length() && isDigit(s.charAt(i - 1)) && isDigit(s.charAt(i + 1));
                if (!between) {
                    return null;
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** digits [. [digits]] | . digits, then an optional exponent e[+-]digits. */
    private static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
