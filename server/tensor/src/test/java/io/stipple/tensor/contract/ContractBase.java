package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.ReferenceOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the parts of {@link OpsContractTest} share: the backend under test (from the enclosing
 * contract test), the reference, random inputs seeded by the test's name (so that a failure repeats),
 * and the dtypes inputs are stored as.
 */
abstract class ContractBase {
    static final List<DType> STORED_AS = List.of(DType.F32, DType.F16, DType.BF16);

    private final OpsContractTest owner;
    final ReferenceOps reference = new ReferenceOps();
    Ops ops;
    TwinInputs in;

    ContractBase(OpsContractTest owner) {
        this.owner = owner;
    }

    double tolerance(DType inputs) {
        return owner.tolerance(inputs);
    }

    @BeforeEach
    void start(TestInfo info) {
        ops = owner.ops();
        String test = info.getTestMethod().map(m -> m.getName()).orElse("") + " " + info.getDisplayName();
        in = new TwinInputs(ops, reference, test.hashCode(), owner.configuration());
    }

    /** Each case once per dtype in {@link #STORED_AS}, the dtype last. */
    static Stream<Arguments> withDtypes(Object[]... cases) {
        List<Arguments> all = new ArrayList<>();
        for (Object[] c : cases) {
            for (DType d : STORED_AS) {
                Object[] args = Arrays.copyOf(c, c.length + 1);
                args[c.length] = d;
                all.add(Arguments.of(args));
            }
        }
        return all.stream();
    }

    static Stream<DType> storedAs() {
        return STORED_AS.stream();
    }
}
