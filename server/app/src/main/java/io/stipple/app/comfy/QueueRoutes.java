package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.jobs.JobSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /queue, POST /queue (delete, clear) and POST /interrupt, over the server's one job queue.
 * Only prompts queued on this port are shown or cancelled: gRPC jobs belong to other callers.
 */
final class QueueRoutes {
    private final JobQueue queue;
    private final PromptHistory history;

    QueueRoutes(JobQueue queue, PromptHistory history) {
        this.queue = queue;
        this.history = history;
    }

    ComfyResponse get() {
        JsonArray running = new JsonArray();
        JsonArray pending = new JsonArray();
        Map<String, PromptRecord> byJob = byJob();
        for (JobSnapshot j : queue.jobs()) {
            PromptRecord r = byJob.get(j.id());
            if (r != null && !r.ended()) {
                (j.running() ? running : pending).add(r.queueItem());
            }
        }
        JsonObject o = new JsonObject();
        o.add("queue_running", running);
        o.add("queue_pending", pending);
        return ComfyResponse.json(o);
    }

    /** {@code {"delete": [prompt_id...]}} cancels those still waiting; {@code {"clear": true}} every waiting one. */
    ComfyResponse post(byte[] body) {
        JsonObject request = Json.object(body, "{\"delete\": [\"prompt_id\"...]} or {\"clear\": true}");
        List<JobSnapshot> waiting = queue.jobs().stream().filter(j -> !j.running()).toList();
        Map<String, PromptRecord> byJob = byJob();
        boolean clear = request.get("clear") instanceof JsonElement c && c.isJsonPrimitive() && c.getAsBoolean();
        List<String> delete = Json.strings(request, "delete");
        for (JobSnapshot j : waiting) {
            PromptRecord r = byJob.get(j.id());
            if (r != null && (clear || delete.contains(r.promptId()))) {
                queue.cancel(j.id(), Cancellation.CANCEL_JOB);
            }
        }
        return ComfyResponse.json(new JsonObject());
    }

    /** Stops the running prompt (or only the one named by {@code {"prompt_id": ...}}), as ComfyUI's interrupt does. */
    ComfyResponse interrupt(byte[] body) {
        JsonObject request = body.length == 0 ? new JsonObject() : Json.object(body, "{} or {\"prompt_id\": \"...\"}");
        String only = request.get("prompt_id") instanceof JsonElement p && p.isJsonPrimitive() ? p.getAsString() : null;
        Map<String, PromptRecord> byJob = byJob();
        for (JobSnapshot j : queue.jobs()) {
            PromptRecord r = byJob.get(j.id());
            if (j.running() && r != null && (only == null || only.equals(r.promptId()))) {
                queue.cancel(j.id(), Cancellation.CANCEL_JOB);
            }
        }
        return ComfyResponse.json(new JsonObject());
    }

    /** What /ws's status message counts: the prompts of this port still waiting or running. */
    int remaining() {
        return (int) history.all().stream().filter(r -> !r.ended() && r.jobId() != null).count();
    }

    private Map<String, PromptRecord> byJob() {
        Map<String, PromptRecord> m = new HashMap<>();
        for (PromptRecord r : history.all()) {
            if (r.jobId() != null) {
                m.put(r.jobId(), r);
            }
        }
        return m;
    }
}
