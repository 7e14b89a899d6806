package io.stipple.app.comfy;

/** A client's value quoted in an error message: cut short and without control characters. */
final class Printable {
    private Printable() {}

    static String of(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
