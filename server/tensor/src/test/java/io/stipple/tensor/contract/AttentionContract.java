package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.contract.TwinInputs.Twin;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Part of {@link OpsContractTest}: multi-head attention, self and cross, causal or not. */
abstract class AttentionContract extends ContractBase {

    AttentionContract(OpsContractTest owner) {
        super(owner);
    }

    /** q (batch, nq, heads·d); k and v (batch, nk, heads·d). */
    record Case(int batch, int nq, int nk, int heads, int d, boolean causal) {
        @Override
        public String toString() {
            return "b" + batch + " nq" + nq + " nk" + nk + " heads" + heads + " d" + d + (causal ? " causal" : "");
        }
    }

    static Stream<Arguments> cases() {
        return withDtypes(
                new Object[] {new Case(1, 1, 1, 1, 4, false)},
                new Object[] {new Case(2, 17, 13, 3, 8, false)},  // cross-attention, more queries than keys
                new Object[] {new Case(2, 17, 13, 3, 8, true)},
                new Object[] {new Case(1, 16, 16, 1, 32, true)},  // CLIP's causal self-attention, one head
                new Object[] {new Case(1, 9, 33, 8, 4, false)},   // more keys than queries, many heads
                new Object[] {new Case(2, 13, 5, 2, 6, true)},
                new Object[] {new Case(1, 7, 7, 4, 1, false)});   // heads of width 1
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void attention(Case c, DType dtype) {
        int width = c.heads() * c.d();
        Twin q = in.normal(dtype, 1, c.batch(), c.nq(), width);
        Twin k = in.normal(dtype, 1, c.batch(), c.nk(), width);
        Twin v = in.normal(dtype, 1, c.batch(), c.nk(), width);
        in.assertClose("attention " + c, tolerance(dtype), ops.attention(q.actual(), k.actual(), v.actual(), c.heads(), c.causal()),
                reference.attention(q.expected(), k.expected(), v.expected(), c.heads(), c.causal()));
    }
}
