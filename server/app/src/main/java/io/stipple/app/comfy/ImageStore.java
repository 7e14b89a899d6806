package io.stipple.app.comfy;

import io.stipple.proto.v1.NodeImage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The images of recent prompts, by type, subfolder and name, bounded in bytes: the oldest are
 * dropped first, so that a long-running server's memory does not grow with every image.
 */
final class ImageStore {
    private final long maxBytes;
    private final LinkedHashMap<String, StoredImage> images = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private long bytes;

    ImageStore(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Stores an image under ComfyUI's SaveImage name: {@code <prefix>_00001_.png}, the counter per prefix. */
    synchronized StoredImage add(NodeImage image) {
        String prefix = image.getFilenamePrefix().isBlank() ? "ComfyUI" : image.getFilenamePrefix();
        // a prefix "a/b" is ComfyUI's subfolder a; one that climbs out of the folder is kept as a name only
        int slash = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\'));
        String subfolder = slash < 0 ? "" : prefix.substring(0, slash).replace('\\', '/');
        String name = prefix.substring(slash + 1);
        if (subfolder.contains("..") || subfolder.startsWith("/")) {
            subfolder = "";
        }
        if (name.isBlank() || name.contains("..")) {
            name = "ComfyUI";
        }
        String type = image.getTemporary() ? "temp" : "output";
        String counterKey = type + "\0" + subfolder + "\0" + name;
        int n = counters.merge(counterKey, 1, Integer::sum);
        StoredImage stored = new StoredImage(String.format("%s_%05d_.png", name, n), subfolder, type, image.getPng().toByteArray());
        images.put(stored.key(), stored);
        bytes += stored.png().length;
        var it = images.entrySet().iterator();
        while (bytes > maxBytes && images.size() > 1 && it.hasNext()) {
            bytes -= it.next().getValue().png().length;
            it.remove();
        }
        return stored;
    }

    synchronized StoredImage find(String type, String subfolder, String filename) {
        return images.get(StoredImage.key(type, subfolder, filename));
    }
}
