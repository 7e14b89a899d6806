package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.stipple.tensor.DeviceOutOfMemoryException;
import org.junit.jupiter.api.Test;

/** Out of memory on a device is the client's RESOURCE_EXHAUSTED, like running out of heap, not INTERNAL. */
class StatusMapperTest {
    private final StatusMapper mapper = new StatusMapper();

    @Test
    void deviceOutOfMemoryIsResourceExhausted() {
        Status s = mapper.status(new DeviceOutOfMemoryException("cuda:0", 1L << 30, null));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
        assertTrue(s.getDescription().contains("cuda:0: out of memory allocating 1073741824 bytes"), s.getDescription());
    }

    @Test
    void heapOutOfMemoryIsResourceExhausted() {
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, mapper.status(new OutOfMemoryError("Java heap space")).getCode());
    }
}
