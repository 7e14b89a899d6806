package io.stipple.app.comfy;

/**
 * GET /view?filename=&subfolder=&type=: an image a prompt made. Names that climb folders are
 * refused outright, although images are served from memory, so that no client learns to rely on them.
 */
final class ViewRoute {
    private final ImageStore images;

    ViewRoute(ImageStore images) {
        this.images = images;
    }

    ComfyResponse get(ComfyRequest request) {
        String filename = request.param("filename");
        if (filename == null || filename.isBlank()) {
            throw ComfyException.plain(400, "filename: missing (expected: /view?filename=...&subfolder=...&type=output)");
        }
        String subfolder = request.param("subfolder") == null ? "" : request.param("subfolder");
        String type = request.param("type") == null || request.param("type").isEmpty() ? "output" : request.param("type");
        if (filename.contains("/") || filename.contains("\\") || filename.contains("..") || filename.indexOf('\0') >= 0) {
            throw ComfyException.plain(400, "filename: '" + Printable.of(filename) + "' (expected: a file name, without folders or '..')");
        }
        if (subfolder.contains("..") || subfolder.startsWith("/") || subfolder.contains("\\") || subfolder.indexOf(':') >= 0
                || subfolder.indexOf('\0') >= 0) {
            throw ComfyException.plain(400, "subfolder: '" + Printable.of(subfolder) + "' (expected: a folder inside the outputs, without '..')");
        }
        if (!type.equals("output") && !type.equals("temp") && !type.equals("input")) {
            throw ComfyException.plain(400, "type: '" + Printable.of(type) + "' (expected: output, temp or input)");
        }
        StoredImage image = images.find(type, subfolder, filename);
        if (image == null) {
            throw ComfyException.plain(404, "no such image: '" + Printable.of(filename) + "' (expected: a name from /history's outputs)");
        }
        return new ComfyResponse(200, "image/png", image.png());
    }
}
