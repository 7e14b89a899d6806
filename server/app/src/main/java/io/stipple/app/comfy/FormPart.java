package io.stipple.app.comfy;

/** One part of a multipart/form-data body: a file (with its file name) or a field (file name null). */
record FormPart(String name, String filename, byte[] bytes) {
    String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
