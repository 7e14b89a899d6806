package io.stipple.tensor.random;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchsde's {@code BrownianTree} (a {@code BrownianInterval} with {@code halfway_tree=True},
 * {@code tol=1e-6}, {@code pool_size=24}, no Lévy area) on the CPU in float32, as ComfyUI builds it.
 *
 * <p>The Brownian motion over [t0, t1] is a binary tree of intervals, each split at its (rounded)
 * midpoint. The root's increment W is a randn scaled by sqrt(t1 - t0); a child's increment is a
 * Brownian bridge sample given its parent's: left = (l/h)·W + sqrt(l·r/h)·Z and right = W − left,
 * where l and r are the two halves' lengths, h the parent's, and Z a randn from a fresh torch
 * generator seeded by the parent's SeedSequence word. Every number therefore depends only on the
 * node's place in the tree, never on the order of queries or on what is cached.
 *
 * <p>Times are quantised to 6 decimal places with Python's {@code round}. Arithmetic follows
 * torchsde's: coefficients in double, each tensor operation in float32 with the double scalar
 * rounded to float first.
 */
final class BrownianInterval {
    /** torchsde: ndigits = -int(log10(tol)) with BrownianTree's tol = 1e-6. */
    private static final int NDIGITS = 6;
    private static final int POOL_SIZE = 24;
    /** torchsde's LRU size for computed increments; the cache never changes a value. */
    private static final int CACHE_SIZE = 45;
    /** Far deeper than any tree tol 1e-6 builds over a real sigma range; a guard, not a limit torchsde has. */
    private static final int MAX_DEPTH = 62;

    private final int[] shape;
    private final long entropy;
    private final Node root;
    private final float[] rootW;
    private final Map<Node, float[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Node, float[]> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** A node of the tree; children exist once it has been split. */
    private static final class Node {
        final double start;
        final double end;
        final Node parent;
        final boolean isLeft;
        double midway = Double.NaN;
        long spawnKey;
        int depth;
        int wSeed;
        Node left;
        Node right;

        Node(double start, double end, Node parent, boolean isLeft) {
            this.start = round(start);
            this.end = round(end);
            this.parent = parent;
            this.isLeft = isLeft;
        }

        boolean isSplit() {
            return !Double.isNaN(midway);
        }
    }

    /**
     * @param t0      the start time (t0 < t1), as torchsde receives it (a float32 value)
     * @param entropy torchsde's {@code entropy}, an unsigned 64-bit integer
     */
    BrownianInterval(int[] shape, double t0, double t1, long entropy) {
        if (!(t0 < t1)) {
            throw new IllegalArgumentException("Brownian interval [" + t0 + ", " + t1 + "] (expected: t0 < t1)");
        }
        Shapes.numel("shape", shape);
        this.shape = shape.clone();
        this.entropy = entropy;
        this.root = new Node(t0, t1, null, false);
        int initialWSeed = new SeedSequence(entropy, new long[0], POOL_SIZE).generateState(3)[0];
        this.rootW = new TorchGenerator(Integer.toUnsignedLong(initialWSeed)).randn(this.shape);
        float scale = (float) Math.sqrt(t1 - t0); // the unrounded times, as torchsde does
        for (int i = 0; i < rootW.length; i++) {
            rootW[i] = rootW[i] * scale;
        }
    }

    /** The increment W(tb) − W(ta) over [ta, tb], ta <= tb, clamped to the tree's interval as torchsde does. */
    float[] increment(double ta, double tb) {
        ta = Math.min(Math.max(ta, root.start), root.end);
        tb = Math.min(Math.max(tb, root.start), root.end);
        if (!(ta <= tb)) {
            throw new IllegalArgumentException("query [" + ta + ", " + tb + "] (expected: ta <= tb)");
        }
        float[] out = new float[rootW.length];
        if (ta == tb) {
            return out;
        }
        List<Node> intervals = new ArrayList<>();
        locate(root, round(ta), round(tb), intervals);
        System.arraycopy(w(intervals.get(0)), 0, out, 0, out.length);
        for (int k = 1; k < intervals.size(); k++) {
            float[] wi = w(intervals.get(k));
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] + wi[i];
            }
        }
        return out;
    }

    /**
     * torchsde's {@code _loc_inner} started from the root (where it starts from changes nothing):
     * appends, left to right, the tree nodes that exactly tile [ta, tb], splitting nodes as needed.
     */
    private void locate(Node node, double ta, double tb, List<Node> out) {
        if (ta == node.start && tb == node.end) {
            out.add(node);
            return;
        }
        if (!node.isSplit()) {
            split(node, ta == node.start ? tb : ta, 0);
        }
        if (tb <= node.midway) {
            locate(node.left, ta, tb, out);
        } else if (ta >= node.midway) {
            locate(node.right, ta, tb, out);
        } else {
            locate(node.left, ta, node.midway, out);
            locate(node.right, node.midway, tb, out);
        }
    }

    /** torchsde's halfway-tree {@code _split}: split at the halfway point, then below it until {@code t} is a midpoint. */
    private void split(Node node, double t, int guard) {
        if (guard > MAX_DEPTH) {
            throw new IllegalStateException("Brownian tree split for t=" + t + " does not terminate");
        }
        splitExact(node, 0.5 * (node.end + node.start));
        if (t > node.midway) {
            split(node.right, t, guard + 1);
        } else if (t < node.midway) {
            split(node.left, t, guard + 1);
        }
    }

    private void splitExact(Node node, double midway) {
        node.midway = round(midway);
        if (node.parent == null) {
            node.spawnKey = 0;
            node.depth = 0;
        } else {
            if (node.parent.depth >= MAX_DEPTH) {
                throw new IllegalStateException("Brownian tree deeper than " + MAX_DEPTH + " levels");
            }
            node.spawnKey = 2 * node.parent.spawnKey + (node.isLeft ? 0 : 1);
            node.depth = node.parent.depth + 1;
        }
        SeedSequence seeds = new SeedSequence(entropy, new long[] {node.spawnKey, node.depth}, POOL_SIZE);
        node.wSeed = seeds.generateState(4)[0]; // W, H, left and right Lévy-area seeds; only W is used
        node.left = new Node(node.start, midway, node, true);
        node.right = new Node(midway, node.end, node, false);
    }

    /** The increment over a node, from its nearest known ancestor down (torchsde's cached recursion). */
    private float[] w(Node node) {
        if (node == root) {
            return rootW;
        }
        float[] known = cache.get(node);
        if (known != null) {
            return known;
        }
        List<Node> path = new ArrayList<>();
        Node n = node;
        float[] w;
        while (true) {
            path.add(n);
            Node parent = n.parent;
            w = parent == root ? rootW : cache.get(parent);
            if (w != null) {
                break;
            }
            n = parent;
        }
        for (int k = path.size() - 1; k >= 0; k--) {
            Node child = path.get(k);
            w = bridge(child.parent, w, child.isLeft);
            cache.put(child, w);
        }
        return w;
    }

    /** One child's increment from its parent's: the Brownian bridge at the parent's midpoint. */
    private float[] bridge(Node parent, float[] parentW, boolean left) {
        double hReciprocal = 1 / (parent.end - parent.start);
        double leftDiff = parent.midway - parent.start;
        double rightDiff = parent.end - parent.midway;
        double variance = leftDiff * rightDiff * hReciprocal;
        float leftScale = (float) leftDiff;
        float hScale = (float) hReciprocal;
        float noiseScale = (float) Math.sqrt(variance);
        float[] noise = new TorchGenerator(Integer.toUnsignedLong(parent.wSeed)).randn(shape);
        float[] out = noise; // overwritten in place: each noise value is read once, before its slot is written
        for (int i = 0; i < out.length; i++) {
            float mean = parentW[i] * leftScale * hScale; // (left_diff * W) * h_reciprocal
            float leftW = mean + noise[i] * noiseScale;
            out[i] = left ? leftW : parentW[i] - leftW;
        }
        return out;
    }

    private static double round(double t) {
        return PythonRound.round(t, NDIGITS);
    }
}
