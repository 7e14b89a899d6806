package io.stipple.format.safetensors;

import io.stipple.plugin.api.TensorInfo;

/** A tensor as the header declares it, and where its bytes lie: [begin, end) of the data buffer. */
record HeaderEntry(TensorInfo info, long begin, long end) {

    String name() {
        return info.name();
    }

    @Override
    public String toString() {
        return Names.quote(name()) + " [" + begin + ", " + end + ")";
    }
}
