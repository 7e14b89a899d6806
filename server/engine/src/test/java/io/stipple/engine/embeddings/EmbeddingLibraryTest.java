package io.stipple.engine.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.text.EmbeddingLookup;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and reading embedding files as ComfyUI's load_embed does, and the files it must not read. */
class EmbeddingLibraryTest {
    @TempDir
    Path dir;

    private EmbeddingLibrary library(Path folder) {
        return new EmbeddingLibrary(folder, new CheckpointOpener(TestPlugins.extensions(CheckpointFormat.class)));
    }

    private Path folderWithTheGoldenFiles() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("embeddings"));
        for (String name : List.of("tiny_neg.safetensors", "tiny_pt.pt", "tiny_xl.safetensors")) {
            Files.copy(Golden.path("embeddings/embeddings/" + name), folder.resolve(name));
        }
        return folder;
    }

    @Test
    void aNameIsTheFileWithOrWithoutItsEnding() throws Exception {
        EmbeddingLookup l = library(folderWithTheGoldenFiles()).forEncoder("clip_l");
        assertEquals(3, l.vectors("tiny_neg").orElseThrow().length, "emb_params: 3 vectors");
        assertEquals(3, l.vectors("tiny_neg.safetensors").orElseThrow().length);
        assertEquals(2, l.vectors("tiny_pt").orElseThrow().length, "string_to_param.*: 2 vectors");
        assertEquals(32, l.vectors("tiny_pt.pt").orElseThrow()[0].length);
        assertTrue(l.vectors("tiny").isEmpty());
    }

    @Test
    void anSdxlFileGivesEachEncoderItsOwnVectors() throws Exception {
        EmbeddingLibrary lib = library(folderWithTheGoldenFiles());
        float[][] l = lib.forEncoder("clip_l").vectors("tiny_xl").orElseThrow();
        float[][] g = lib.forEncoder("clip_g").vectors("tiny_xl").orElseThrow();
        assertEquals(2, l.length);
        assertTrue(l[0][0] != g[0][0], "clip_l's and clip_g's vectors differ");
    }

    @Test
    void nothingOutsideTheFolderIsRead() throws Exception {
        Path folder = folderWithTheGoldenFiles();
        Files.copy(Golden.path("embeddings/embeddings/tiny_neg.safetensors"), dir.resolve("outside.safetensors"));
        EmbeddingLookup l = library(folder).forEncoder("clip_l");
        assertTrue(l.vectors("../outside").isEmpty());
        assertTrue(l.vectors("../outside.safetensors").isEmpty());
        assertTrue(l.vectors(dir.resolve("outside.safetensors").toString()).isEmpty(), "an absolute path");
        assertTrue(l.vectors("a\0b").isEmpty());
        assertTrue(library(null).forEncoder("clip_l").vectors("tiny_neg").isEmpty(), "no folder");
    }

    @Test
    void aDamagedFileIsMissingAndAReplacedFileIsReadAgain() throws Exception {
        Path folder = folderWithTheGoldenFiles();
        Files.write(folder.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        EmbeddingLibrary lib = library(folder);
        assertTrue(lib.forEncoder("clip_l").vectors("broken").isEmpty());
        assertEquals(3, lib.forEncoder("clip_l").vectors("tiny_neg").orElseThrow().length);
        Files.copy(folder.resolve("tiny_pt.pt"), folder.resolve("tiny_neg.pt"));
        Files.delete(folder.resolve("tiny_neg.safetensors"));
        assertEquals(2, lib.forEncoder("clip_l").vectors("tiny_neg").orElseThrow().length, "now tiny_neg.pt");
        assertEquals(List.of("broken.safetensors", "tiny_neg.pt", "tiny_pt.pt", "tiny_xl.safetensors"), lib.names());
    }
}
