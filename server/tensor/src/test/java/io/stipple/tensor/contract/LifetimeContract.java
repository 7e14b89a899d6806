package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Storage;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link OpsContractTest}: storage lifetime. A scope frees what was made inside it except
 * what it keeps; views share their storage; a tensor closed twice, a storage released twice and a
 * read of released memory all throw.
 */
abstract class LifetimeContract extends ContractBase {
    private static final float[] VALUES = {1, -2, 3.5f, 4, 0.25f, -6};

    LifetimeContract(OpsContractTest owner) {
        super(owner);
    }

    @AfterEach
    void noScopeLeftOpen() {
        assertNull(TensorScope.current(), "a test left a scope open on its thread");
    }

    private Tensor input() {
        return ops.fromArray(VALUES, Shape.of(2, 3));
    }

    private static float[] doubled() {
        float[] r = new float[VALUES.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = VALUES[i] * 2;
        }
        return r;
    }

    @Test
    void aScopeClosesWhatItMadeAndKeepsWhatItReturns() {
        Tensor a = input();
        Tensor intermediate;
        Tensor result;
        try (TensorScope s = ops.scope()) {
            intermediate = a.add(a);
            result = s.keep(intermediate.mul(1.0));
        }
        assertTrue(intermediate.isClosed());
        assertThrows(IllegalStateException.class, intermediate::toArray);
        assertFalse(result.isClosed());
        assertArrayEquals(doubled(), result.toArray());
        assertFalse(a.isClosed(), "an input made outside the scope is not the scope's");
    }

    @Test
    void aKeptTensorBelongsToTheEnclosingScope() {
        Tensor a = input();
        Tensor fromInner;
        try (TensorScope outer = ops.scope()) {
            try (TensorScope inner = ops.scope()) {
                fromInner = inner.keep(a.add(a));
            }
            assertArrayEquals(doubled(), fromInner.toArray());
        }
        assertTrue(fromInner.isClosed(), "the outer scope did not keep it");
    }

    @Test
    void anExceptionInsideAScopeStillClosesItsTensors() {
        Tensor a = input();
        Tensor[] made = new Tensor[1];
        assertThrows(IllegalArgumentException.class, () -> {
            try (TensorScope s = ops.scope()) {
                made[0] = a.add(a);
                ops.add(a, ops.zeros(Shape.of(4)));
            }
        });
        assertTrue(made[0].isClosed());
    }

    @Test
    void aViewKeepsItsStorageAliveAfterTheSourceCloses() {
        Tensor a = input();
        Tensor view;
        Tensor source;
        try (TensorScope s = ops.scope()) {
            source = a.add(a);
            view = s.keep(source.reshape(3, 2));
        }
        assertTrue(source.isClosed());
        assertArrayEquals(doubled(), view.toArray());
        Storage storage = view.storage();
        view.close();
        assertTrue(storage.isReleased(), "the last holder frees the storage");
    }

    @Test
    void toF32AndCastToTheSameTypeAreViewsThatCloseOnTheirOwn() {
        Tensor f32 = input();
        Tensor same = ops.toF32(f32);
        same.close();
        assertArrayEquals(VALUES, f32.toArray());
        f32.close();

        Tensor f16 = ops.cast(input(), DType.F16);
        Tensor alsoF16 = ops.cast(f16, DType.F16);
        f16.close();
        assertArrayEquals(VALUES, alsoF16.toArray());
        alsoF16.close();
    }

    @Test
    void tensorsMadeInADetachedScopeBelongToNobody() {
        Tensor a = input();
        Tensor cached;
        try (TensorScope s = ops.scope()) {
            cached = TensorScope.detached(() -> a.add(a));
            s.keep(cached); // not the scope's: nothing changes
        }
        assertArrayEquals(doubled(), cached.toArray());
    }

    @Test
    void closingATensorTwiceThrows() {
        Tensor t = input();
        t.close();
        assertThrows(IllegalStateException.class, t::close);
    }

    @Test
    void releasingAStorageTwiceThrows() {
        Tensor t = input();
        Storage storage = t.storage();
        t.close();
        assertTrue(storage.isReleased());
        assertThrows(IllegalStateException.class, storage::release);
        assertThrows(IllegalStateException.class, storage::retain);
    }

    @Test
    void aClosedTensorThrowsWhenRead() {
        Tensor t = input();
        t.close();
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalStateException.class, () -> ops.add(t, t));
        assertThrows(IllegalStateException.class, () -> t.reshape(6));
    }

    @Test
    void aReleasedStorageThrowsWhenReadThroughAnyTensor() {
        Tensor t = input();
        Tensor view = t.reshape(6);
        Storage storage = t.storage();
        // both holders let go behind the tensors' backs: the backend itself must refuse the read
        storage.release();
        storage.release();
        assertThrows(IllegalStateException.class, view::toArray);
        assertThrows(IllegalStateException.class, () -> ops.mul(view, view));
        assertThrows(IllegalStateException.class, () -> ops.toBytes(view));
    }

    @Test
    void scopesCloseInnermostFirst() {
        TensorScope outer = ops.scope();
        TensorScope inner = ops.scope();
        try {
            assertThrows(IllegalStateException.class, outer::close);
        } finally {
            inner.close();
            outer.close();
        }
        assertThrows(IllegalStateException.class, outer::close, "closed twice");
    }

    @Test
    void aScopeBelongsToItsThread() throws InterruptedException {
        Tensor a = input();
        try (TensorScope s = ops.scope()) {
            Tensor mine = a.add(a);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> s.keep(mine)).get());
            assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
            Tensor[] other = new Tensor[1];
            CompletableFuture.runAsync(() -> other[0] = a.add(a)).join();
            s.keep(other[0]);
            assertFalse(other[0].isClosed());
        }
    }

    @Test
    void freeClosesOnlyWhatTheScopeOwns() {
        Tensor input = input();
        try (TensorScope outer = ops.scope()) {
            Tensor outers = input.add(input);
            try (TensorScope s = ops.scope()) {
                Tensor mine = input.mul(input);
                s.free(mine);
                assertTrue(mine.isClosed());
                s.free(mine); // already closed: nothing to do
                s.free(outers);
                s.free(input);
                s.free(null);
            }
            assertFalse(outers.isClosed(), "the enclosing scope's tensor is not the inner scope's to free");
            assertFalse(input.isClosed());
        }
    }

    @Test
    void keepReturnsItsArgument() {
        try (TensorScope s = ops.scope()) {
            Tensor t = input();
            assertSame(t, s.keep(t));
            assertNull(s.keep(null));
        }
    }
}
