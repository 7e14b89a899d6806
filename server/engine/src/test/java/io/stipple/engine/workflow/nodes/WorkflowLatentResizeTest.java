package io.stipple.engine.workflow.nodes;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import org.junit.jupiter.api.Test;

/** LatentUpscale's interpolation against values torch.nn.functional.interpolate gives for a 2×2 plane. */
class WorkflowLatentResizeTest {
    private static final float[] PLANE = {1, 2, 3, 4};

    @Test
    void nearestExactRepeatsEachValue() {
        assertClose("nearest-exact", new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                LatentResize.resize(PLANE, 1, 2, 2, 4, 4, "nearest-exact"), 0);
    }

    @Test
    void bilinearIsTorchsWithoutAlignedCorners() {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), mode="bilinear")
        assertClose("bilinear", new float[] {1f, 1.25f, 1.75f, 2f, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3f, 3.25f, 3.75f, 4f},
                LatentResize.resize(PLANE, 1, 2, 2, 4, 4, "bilinear"), 1e-6);
    }

    @Test
    void areaAveragesTheCellsEachOutputCovers() {
        float[] four = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertClose("area", new float[] {3.5f, 5.5f, 11.5f, 13.5f}, LatentResize.resize(four, 1, 4, 4, 2, 2, "area"), 1e-6);
    }

    @Test
    void centreCropKeepsTheMiddleAtTheTargetsAspect() {
        CpuOps ops = new CpuOps();
        float[] wide = new float[4 * 8];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = i % 8; // the column index
        }
        Tensor t = ops.fromArray(wide, Shape.of(1, 1, 4, 8));
        // 8x4 to a square: columns 2..5 are kept, then sampled to 2x2 by nearest-exact (floor((i + 0.5) * 2)): columns 3 and 5
        Tensor out = LatentResize.resize(ops, t, 2, 2, "nearest-exact", "center");
        assertEquals(Shape.of(1, 1, 2, 2), out.shape());
        assertClose("cropped", new float[] {3, 5, 3, 5}, out.toArray(), 0);
    }
}
