package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.contract.TwinInputs.Kind;
import io.stipple.tensor.contract.TwinInputs.Twin;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Part of {@link OpsContractTest}: group norm, layer norm, softmax, GEGLU. Inputs sit off zero, as activations do. */
abstract class NormalizationContract extends ContractBase {

    NormalizationContract(OpsContractTest owner) {
        super(owner);
    }

    static Stream<Arguments> groupNormCases() {
        // {x dims...}, groups
        return withDtypes(new Object[] {new int[] {2, 8, 5, 3}, 1}, new Object[] {new int[] {2, 8, 5, 3}, 2},
                new Object[] {new int[] {2, 8, 5, 3}, 4}, new Object[] {new int[] {2, 8, 5, 3}, 8},
                new Object[] {new int[] {1, 6, 10}, 3}, new Object[] {new int[] {3, 4}, 2});
    }

    @ParameterizedTest(name = "{0} in {1} groups, {2}")
    @MethodSource("groupNormCases")
    void groupNorm(int[] dims, int groups, DType dtype) {
        Twin x = in.draw(dtype, Kind.NORMAL, 2, 3, dims);
        Twin gamma = in.draw(dtype, Kind.NORMAL, 0.1, 1, dims[1]);
        Twin beta = in.normal(dtype, 0.1, dims[1]);
        in.assertClose("groupNorm with affine", tolerance(dtype),
                ops.groupNorm(x.actual(), groups, gamma.actual(), beta.actual(), 1e-6f),
                reference.groupNorm(x.expected(), groups, gamma.expected(), beta.expected(), 1e-6f));
        in.assertClose("groupNorm without", tolerance(dtype), ops.groupNorm(x.actual(), groups, null, null, 0.1f),
                reference.groupNorm(x.expected(), groups, null, null, 0.1f));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void layerNorm(DType dtype) {
        Twin x = in.draw(dtype, Kind.NORMAL, 2, -3, 3, 7, 24);
        Twin gamma = in.draw(dtype, Kind.NORMAL, 0.1, 1, 24);
        Twin beta = in.normal(dtype, 0.1, 24);
        in.assertClose("layerNorm with affine", tolerance(dtype), ops.layerNorm(x.actual(), gamma.actual(), beta.actual(), 1e-5f),
                reference.layerNorm(x.expected(), gamma.expected(), beta.expected(), 1e-5f));
        in.assertClose("layerNorm without", tolerance(dtype), ops.layerNorm(x.actual(), null, null, 1e-5f),
                reference.layerNorm(x.expected(), null, null, 1e-5f));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void softmax(DType dtype) {
        for (int[] dims : new int[][] {{5, 17}, {2, 3, 64}, {4, 1}}) {
            Twin x = in.normal(dtype, 5, dims);
            in.assertClose("softmax " + x.shape(), tolerance(dtype), ops.softmax(x.actual()), reference.softmax(x.expected()));
        }
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void geglu(DType dtype) {
        Twin x = in.normal(dtype, 2, 3, 5, 16);
        in.assertClose("geglu", tolerance(dtype), ops.geglu(x.actual()), reference.geglu(x.expected()));
    }
}
