package io.stipple.engine.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.cpu.CpuOps;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays of the order of one tensor: the merge reads a source tensor only when the writer
 * asks for the output tensor it goes into, so never more than the tensor being written is alive.
 * Checked by counting reads of the sources against the writer's requests, not by timing or heap size.
 */
class MergeMemoryTest {
    private final List<String> reads = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @Test
    void eachTensorIsReadOnlyWhenTheWriterAsksForIt() throws Exception {
        List<Integer> asked = new ArrayList<>();
        try (TensorIndex a = new CountingIndex(MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"))));
                TensorIndex b = new CountingIndex(MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"))))) {
            CheckpointFormat watching = new WatchingFormat(asked);
            MergeResult result = new CheckpointMerger(new CpuOps()).merge(MergeRecipe.weightedSum(0.3), a, b,
                    MergeTarget.of(dir.resolve("merged.safetensors"), watching), MergeControl.NONE);
            assertEquals(518, result.tensors());
        }
        assertEquals(518, asked.size());
        for (int i = 0; i < asked.size(); i++) {
            assertEquals(i, asked.get(i), "each tensor asked once, in order");
        }
        // 286 UNet weights read from A and B; the text encoder and VAE (B has none) from A only
        assertEquals(518 + 286, reads.size());
    }

    @Test
    void theOnTheFlyMergeReadsOnlyTheWeightsAskedFor() throws Exception {
        CpuOps ops = new CpuOps();
        try (TensorIndex a = new CountingIndex(MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"))));
                TensorIndex b = new CountingIndex(MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"))))) {
            MergedParameters merged = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3),
                    new MergeModel("a", new CheckpointParameters(a, ops, WeightPolicy.AS_STORED)),
                    new MergeModel("b", new CheckpointParameters(b, ops, WeightPolicy.AS_STORED)), ops);
            assertEquals(List.of(), reads, "planning reads names and shapes only");
            String key = MergeFixtures.UNET + "out.2.weight";
            merged.get(key).toArray();
            merged.get(key).toArray();
            assertEquals(List.of(key, key), reads, "A's and B's tensor, once");
        }
    }

    /** Delegates to the safetensors writer, checking before and after each tensor what the merge has read. */
    private final class WatchingFormat implements CheckpointFormat {
        private final List<Integer> asked;

        WatchingFormat(List<Integer> asked) {
            this.asked = asked;
        }

        @Override
        public void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) throws IOException {
            assertEquals(List.of(), reads, "no tensor read before the writer asks");
            List<TensorEntry> watched = new ArrayList<>();
            Set<String> written = new HashSet<>();
            for (int i = 0; i < tensors.size(); i++) {
                TensorEntry entry = tensors.get(i);
                int index = i;
                watched.add(new TensorEntry(entry.info(), () -> {
                    asked.add(index);
                    int before = reads.size();
                    assertTrue(written.containsAll(reads), "only tensors already written were read");
                    MemorySegment bytes = entry.bytes().get();
                    List<String> now = List.copyOf(reads.subList(before, reads.size()));
                    assertTrue(now.stream().allMatch(entry.info().name()::equals),
                            "tensor " + index + " (" + entry.info().name() + ") read only its own sources, not " + now);
                    written.add(entry.info().name());
                    return bytes;
                }));
            }
            MergeFixtures.FORMAT.write(file, watched, metadata);
        }

        @Override
        public String name() {
            return "safetensors";
        }

        @Override
        public List<String> extensions() {
            return List.of(".safetensors");
        }

        @Override
        public boolean canRead(Path file, ByteBuffer head) {
            return false;
        }

        @Override
        public TensorIndex open(Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean canWrite() {
            return true;
        }
    }

    /** A source that records every tensor whose bytes are read. */
    private final class CountingIndex implements TensorIndex {
        private final TensorIndex delegate;

        CountingIndex(TensorIndex delegate) {
            this.delegate = delegate;
        }

        @Override
        public MemorySegment bytes(String name) {
            reads.add(name);
            return delegate.bytes(name);
        }

        @Override
        public Path file() {
            return delegate.file();
        }

        @Override
        public String format() {
            return delegate.format();
        }

        @Override
        public List<TensorInfo> tensors() {
            return delegate.tensors();
        }

        @Override
        public Optional<TensorInfo> info(String name) {
            return delegate.info(name);
        }

        @Override
        public Map<String, String> metadata() {
            return delegate.metadata();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
