package io.stipple.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.cpu.CpuOps;
import org.junit.jupiter.api.Test;

/** The tracker finds what a scope leaves live beyond what it kept, and nothing where there is nothing. */
class LifetimeTrackerTest {
    private final LifetimeTracker tracker = new LifetimeTracker();
    private final CpuOps ops = new CpuOps(tracker);

    @Test
    void nestedScopesThatFreeTheirWorkPass() {
        Tensor a = ops.fromArray(new float[] {1, 2, 3}, Shape.of(3));
        Tensor out;
        try (TensorScope outer = ops.scope()) {
            Tensor fromInner;
            try (TensorScope inner = ops.scope()) {
                fromInner = inner.keep(a.add(a).mul(a).reshape(1, 3));
            }
            Tensor cached = TensorScope.detached(() -> a.add(a));
            out = outer.keep(fromInner.add(cached));
        }
        assertEquals(java.util.List.of(), tracker.violations());
        assertEquals(2, tracker.scopesClosed());
        assertEquals(3, tracker.live(), "the input, the cached tensor and the result");
    }

    @Test
    void aStorageHeldBeyondItsScopeIsReported() {
        Tensor a = ops.fromArray(new float[] {1, 2, 3}, Shape.of(3));
        try (TensorScope s = ops.scope()) {
            a.add(a).storage().retain(); // a holder the scope does not know of
            s.keep(a.mul(a));
        }
        assertEquals(1, tracker.violations().size(), tracker.violations().toString());
        assertTrue(tracker.violations().getFirst().contains("2 storages live after close, 1 kept"), tracker.violations().toString());
    }
}
