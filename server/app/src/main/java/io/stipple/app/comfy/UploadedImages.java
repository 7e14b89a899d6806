package io.stipple.app.comfy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Images clients sent to POST /upload/image, for the LoadImage nodes of their later prompts (ComfyUI keeps
 * them in its input folder; this server keeps them in memory, the oldest dropped beyond a byte budget).
 * A name is "subfolder/file" or "file", as LoadImage names it; ComfyUI's " [input]" suffix is accepted.
 */
final class UploadedImages {
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> images = new LinkedHashMap<>();
    private long bytes;

    UploadedImages(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps {@code data} as {@code subfolder/filename}; without {@code overwrite} a taken name becomes
     * "stem (1).ext", "stem (2).ext"... as ComfyUI renames it. Returns the file name given.
     */
    synchronized String put(String subfolder, String filename, byte[] data, boolean overwrite) {
        String name = filename;
        if (!overwrite) {
            int dot = filename.lastIndexOf('.');
            String stem = dot > 0 ? filename.substring(0, dot) : filename;
            String ext = dot > 0 ? filename.substring(dot) : "";
            for (int i = 1; images.containsKey(key(subfolder, name)); i++) {
                name = stem + " (" + i + ")" + ext;
            }
        }
        byte[] old = images.remove(key(subfolder, name));
        if (old != null) {
            bytes -= old.length;
        }
        images.put(key(subfolder, name), data);
        bytes += data.length;
        while (bytes > maxBytes && images.size() > 1) {
            Map.Entry<String, byte[]> oldest = images.entrySet().iterator().next();
            bytes -= oldest.getValue().length;
            images.remove(oldest.getKey());
        }
        return name;
    }

    /** The image LoadImage names {@code name}, or null. */
    synchronized byte[] get(String name) {
        String n = name.endsWith(" [input]") ? name.substring(0, name.length() - " [input]".length()) : name;
        return images.get(n);
    }

    private static String key(String subfolder, String name) {
        return subfolder.isEmpty() ? name : subfolder + "/" + name;
    }
}
