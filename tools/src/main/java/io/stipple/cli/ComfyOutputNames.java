package io.stipple.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ComfyUI's output file names: {@code PREFIX_00001_.png}, the counter one past the highest already
 * in the folder for that prefix; a prefix may name sub-folders, never a place outside the output folder.
 */
final class ComfyOutputNames {
    private final Path root;

    ComfyOutputNames(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path next(String prefix, String ending, String nodeId) throws IOException {
        Path target = root.resolve(prefix.isEmpty() ? "ComfyUI" : prefix).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new UserError("node " + nodeId + ": filename_prefix " + prefix + " leaves the output folder (expected: a name inside --out)");
        }
        Path folder = target.getParent();
        Files.createDirectories(folder);
        String base = target.getFileName().toString();
        Pattern numbered = Pattern.compile(Pattern.quote(base) + "_(\\d{5,})_" + Pattern.quote(ending));
        int highest = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Matcher m = numbered.matcher(f.getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return folder.resolve(String.format(java.util.Locale.ROOT, "%s_%05d_%s", base, highest + 1, ending));
    }
}
