package io.stipple.app.comfy;

import com.google.gson.JsonObject;

/**
 * POST /upload/image, ComfyUI's multipart form: the file in "image", and "subfolder", "type" (input
 * only here) and "overwrite" fields; answers {"name", "subfolder", "type"}. The image is kept for the
 * LoadImage nodes of later prompts ({@link UploadedImages}).
 */
final class UploadRoute {
    private static final int MAX_NAME = 255;

    private final UploadedImages uploads;

    UploadRoute(UploadedImages uploads) {
        this.uploads = uploads;
    }

    ComfyResponse post(ComfyRequest r) {
        FormPart image = r.form().get("image");
        if (image == null || image.filename() == null) {
            throw ComfyException.plain(400, "image: missing (expected: a multipart/form-data body with the file in a part named \"image\")");
        }
        String type = field(r, "type", "input");
        if (!type.equals("input")) {
            throw ComfyException.plain(400, "type: " + Printable.of(type) + " (expected: input; this server keeps no temp or output uploads)");
        }
        String subfolder = field(r, "subfolder", "").replace('\\', '/');
        String filename = image.filename().replace('\\', '/');
        filename = filename.substring(filename.lastIndexOf('/') + 1); // a client's path is not ours to follow
        if (filename.isBlank() || filename.length() > MAX_NAME || filename.equals("..") || filename.indexOf('\0') >= 0) {
            throw ComfyException.plain(400, "image: file name " + Printable.of(image.filename()) + " (expected: a file name of 1 to " + MAX_NAME
                    + " characters)");
        }
        if (subfolder.contains("..") || subfolder.startsWith("/") || subfolder.length() > MAX_NAME || subfolder.indexOf('\0') >= 0) {
            throw ComfyException.plain(400, "subfolder: " + Printable.of(subfolder) + " (expected: a relative folder name without '..')");
        }
        if (image.bytes().length == 0) {
            throw ComfyException.plain(400, "image: empty file");
        }
        String name = uploads.put(subfolder, filename, image.bytes(), field(r, "overwrite", "false").equalsIgnoreCase("true"));
        JsonObject answer = new JsonObject();
        answer.addProperty("name", name);
        answer.addProperty("subfolder", subfolder);
        answer.addProperty("type", type);
        return ComfyResponse.json(answer);
    }

    private static String field(ComfyRequest r, String name, String fallback) {
        FormPart p = r.form().get(name);
        return p == null ? fallback : p.text();
    }
}
