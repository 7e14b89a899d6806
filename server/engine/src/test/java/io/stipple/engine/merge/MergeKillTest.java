package io.stipple.engine.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.cpu.CpuOps;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge killed halfway leaves no output and untouched sources; what it leaves (its temporary
 * file) is recognisable, and the cleanup removes it while leaving running merges alone.
 */
class MergeKillTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aMergeKilledHalfwayLeavesNoOutputAndTheSourcesUntouched() throws Exception {
        Path in = dir.resolve("in");
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, in);
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, in);
        String shaA = MergeFixtures.sha256(pathA);
        String shaB = MergeFixtures.sha256(pathB);
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Path out = outDir.resolve("merged.safetensors");

        Process child = new ProcessBuilder(childCommand(pathA, pathB, out, 40)).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
                if (line.startsWith("progress 20 ")) {
                    break; // 20 tensors written, the writer is in the middle of the file
                }
            }
            List<String> temporary = MergeFixtures.listing(outDir);
            assertEquals(2, temporary.size(), "the child's temporary file and its lock: " + temporary + "\nchild said: " + lines);
            assertTrue(temporary.stream().allMatch(n -> n.startsWith(".stipple-merge-")), temporary.toString());
            assertEquals(List.of(), CheckpointMerger.deleteStaleTemporaryFiles(outDir), "a running merge's file is not stale");
            assertEquals(temporary, MergeFixtures.listing(outDir));

            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        }
        assertFalse(lines.contains("finished"), "killed before it finished: " + lines);
        assertFalse(Files.exists(out), "no output file");
        assertEquals(shaA, MergeFixtures.sha256(pathA), "model A untouched");
        assertEquals(shaB, MergeFixtures.sha256(pathB), "model B untouched");

        List<String> left = MergeFixtures.listing(outDir);
        assertTrue(left.stream().anyMatch(n -> n.matches("\\.stipple-merge-.*\\.tmp")), "a killed merge leaves its temporary file: " + left);
        List<Path> deleted = CheckpointMerger.deleteStaleTemporaryFiles(outDir);
        assertEquals(2, deleted.size(), deleted.toString());
        assertEquals(List.of(), MergeFixtures.listing(outDir));
    }

    @Test
    void cleanupDeletesOnlyStaleMergeFiles() throws Exception {
        Path stale = Files.writeString(dir.resolve(".stipple-merge-1234.tmp"), "half a checkpoint");
        Path held = Files.writeString(dir.resolve(".stipple-merge-5678.tmp"), "a merge in another process");
        Path unrelated = Files.writeString(dir.resolve("model.safetensors"), "not ours");
        Path lookalike = Files.writeString(dir.resolve(".stipple-merge-notes.txt"), "not ours either");
        try (FileChannel lockChannel = FileChannel.open(dir.resolve(".stipple-merge-5678.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockChannel.lock()) {
            // a lock held in this JVM stands for another process's: tryLock must not take it
            List<Path> deleted = CheckpointMerger.deleteStaleTemporaryFiles(dir);
            assertEquals(List.of(stale), deleted);
        }
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(held) && Files.exists(unrelated) && Files.exists(lookalike));
    }

    @Test
    void cleanupLooksIntoSubFoldersButNotThroughLinks() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub/deeper"));
        Path tmp = Files.writeString(sub.resolve(".stipple-merge-42.tmp"), "a merge killed into a sub-folder");
        Path lock = Files.writeString(sub.resolve(".stipple-merge-42.lock"), "");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path outside = Files.writeString(elsewhere.resolve(".stipple-merge-7.tmp"), "not below the folder cleaned");
        Path root = Files.createDirectories(dir.resolve("checkpoints"));
        Files.move(dir.resolve("sub"), root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("linked"), elsewhere);

        List<Path> deleted = CheckpointMerger.deleteStaleTemporaryFiles(root);

        Path movedTmp = root.resolve(dir.relativize(tmp));
        Path movedLock = root.resolve(dir.relativize(lock));
        assertEquals(java.util.Set.of(movedTmp, movedLock), java.util.Set.copyOf(deleted));
        assertFalse(Files.exists(movedTmp) || Files.exists(movedLock));
        assertTrue(Files.exists(outside), "a linked folder is not the server's to clean");
    }

    @Test
    @Timeout(60)
    void cleanupLeavesARunningMergeInThisProcessAlone() throws Exception {
        Path in = dir.resolve("in");
        Path outDir = Files.createDirectories(dir.resolve("out"));
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        MergeControl paused = new MergeControl((done, total) -> {
            if (done == 10) {
                reached.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, () -> false);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            Future<MergeResult> merge = executor.submit(() -> new CheckpointMerger(new CpuOps()).merge(MergeRecipe.unetWeightedSum(0.3),
                    a, b, MergeTarget.of(outDir.resolve("merged.safetensors"), MergeFixtures.FORMAT), paused));
            if (!reached.await(30, TimeUnit.SECONDS)) {
                fail("the merge did not reach tensor 10");
            }
            List<String> during = MergeFixtures.listing(outDir);
            assertEquals(List.of(), CheckpointMerger.deleteStaleTemporaryFiles(outDir));
            assertEquals(during, MergeFixtures.listing(outDir));
            resume.countDown();
            assertEquals(518, merge.get(30, TimeUnit.SECONDS).tensors());
        } finally {
            resume.countDown();
            executor.shutdownNow();
        }
        assertEquals(List.of("merged.safetensors"), MergeFixtures.listing(outDir));
    }

    /** The same JVM and class path as this test, running {@link MergeChildMain}. */
    private static List<String> childCommand(Path a, Path b, Path out, long delayMs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), MergeChildMain.class.getName(),
                a.toString(), b.toString(), out.toString(), Long.toString(delayMs));
    }
}
