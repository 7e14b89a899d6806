package io.stipple.app.comfy;

import com.google.gson.JsonObject;

/**
 * An image a prompt made, named as ComfyUI's SaveImage names its files; {@code /view} serves it
 * from memory (Stipple writes no output folder, so no request can reach a server path).
 *
 * @param type "output" (SaveImage) or "temp" (PreviewImage)
 */
record StoredImage(String filename, String subfolder, String type, byte[] png) {

    String key() {
        return key(type, subfolder, filename);
    }

    static String key(String type, String subfolder, String filename) {
        return type + "\0" + subfolder + "\0" + filename;
    }

    /** The entry of an {@code images} list in history and executed messages. */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("filename", filename);
        o.addProperty("subfolder", subfolder);
        o.addProperty("type", type);
        return o;
    }
}
