package io.stipple.format.ckpt;

import java.util.List;

/** State-dict pickles as torch.save writes them (protocol 2), built from tensor descriptions. */
final class TorchPickles {
    private TorchPickles() {}

    /** A tensor entry: {@code storageType} such as "FloatStorage", offset/size/stride in elements. */
    record Tensor(String name, String storageType, String key, long storageNumel, long offset, long[] size, long[] stride) {
        static Tensor contiguous(String name, String storageType, String key, long... size) {
            long[] stride = new long[size.length];
            long s = 1;
            long n = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                stride[i] = s;
                s *= size[i];
                n *= size[i];
            }
            return new Tensor(name, storageType, key, n, 0, size, stride);
        }
    }

    /** {@code {name: tensor, ...}} as a plain dict. */
    static byte[] stateDict(List<Tensor> tensors) {
        return stateDict(tensors, false);
    }

    /** The same with the legacy format's six-element persistent ids. */
    static byte[] stateDict(List<Tensor> tensors, boolean legacy) {
        PickleWriter w = new PickleWriter().proto(2).emptyDict().mark();
        for (Tensor t : tensors) {
            w.str(t.name());
            tensor(w, t, legacy);
        }
        return w.setItems().stop().bytes();
    }

    /** {@code {"state_dict": {...}, "global_step": 7}}, as a Lightning checkpoint. */
    static byte[] wrapped(List<Tensor> tensors) {
        PickleWriter w = new PickleWriter().proto(2).emptyDict().mark().str("state_dict").emptyDict().mark();
        for (Tensor t : tensors) {
            w.str(t.name());
            tensor(w, t, false);
        }
        return w.setItems().str("global_step").integer(7).setItems().stop().bytes();
    }

    /** _rebuild_tensor_v2((storage pid), offset, size, stride, False, OrderedDict()). */
    static void tensor(PickleWriter w, Tensor t) {
        tensor(w, t, false);
    }

    static void tensor(PickleWriter w, Tensor t, boolean legacy) {
        w.global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark().str("storage").global("torch", t.storageType()).str(t.key()).str("cpu").integer(t.storageNumel());
        if (legacy) {
            w.none();
        }
        w.tuple();
        w.op('Q');
        w.integer(t.offset()).ints(t.size()).ints(t.stride()).bool(false);
        w.global("collections", "OrderedDict").emptyTuple().reduce();
        w.tuple().reduce();
    }
}
