package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A workflow's checkpoints stay loaded while it runs: one the cache would unload under it is refused, naming both. */
class WorkflowModelCacheTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(16, dir -> {}, (b, home) -> b.cachedModels(1));

    @Test
    void twoCheckpointsInAOneModelCacheAreRefusedNotRunOnAClosedFile() {
        // the same weights in two files: two cache entries
        JsonObject g = WorkflowRpcTest.graph("sd15_euler_normal_64x64");
        g.add("11", JsonParser.parseString("{\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": \"sd15_tiny.ckpt\"}}"));
        g.add("12", JsonParser.parseString("{\"class_type\": \"ModelMergeSimple\", \"inputs\": {\"model1\": [\"1\", 0], "
                + "\"model2\": [\"11\", 0], \"ratio\": 0.5}}"));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("model", JsonParser.parseString("[\"12\", 0]"));
        List<WorkflowEvent> events = new ArrayList<>();
        var e = assertThrows(StatusRuntimeException.class,
                () -> server.blocking().runWorkflow(RunWorkflowRequest.newBuilder().setWorkflow(g.toString()).build()).forEachRemaining(events::add));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("11.inputs.ckpt_name: sd15_tiny.ckpt and sd15_tiny.safetensors do not fit in the model cache together (expected: "
                + "the workflow's checkpoints within the server's cached_models and memory budget) [CheckpointLoaderSimple]",
                e.getStatus().getDescription());
        assertTrue(events.stream().anyMatch(WorkflowEvent::hasQueued));
    }
}
