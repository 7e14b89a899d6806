package io.stipple.app.comfy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/** GET /history, GET /history/{prompt_id} and POST /history (delete, clear): the ended prompts and their outputs. */
final class HistoryRoutes {
    private final PromptHistory history;

    HistoryRoutes(PromptHistory history) {
        this.history = history;
    }

    ComfyResponse all(String maxItems) {
        List<PromptRecord> ended = history.ended();
        int max = ended.size();
        if (maxItems != null) {
            try {
                max = Integer.parseInt(maxItems.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 0) {
                throw ComfyException.plain(400, "max_items: '" + Printable.of(maxItems) + "' (expected: a whole number, at least 0)");
            }
        }
        JsonObject o = new JsonObject();
        // the newest max_items, as ComfyUI gives them
        for (PromptRecord r : ended.subList(Math.max(0, ended.size() - max), ended.size())) {
            o.add(r.promptId(), r.historyEntry());
        }
        return ComfyResponse.json(o);
    }

    /** One prompt's entry; {@code {}} while it has not ended or is unknown, as ComfyUI answers (clients poll it). */
    ComfyResponse one(String promptId) {
        JsonObject o = new JsonObject();
        history.find(promptId).filter(PromptRecord::ended).ifPresent(r -> o.add(r.promptId(), r.historyEntry()));
        return ComfyResponse.json(o);
    }

    ComfyResponse post(byte[] body) {
        JsonObject request = Json.object(body, "{\"delete\": [\"prompt_id\"...]} or {\"clear\": true}");
        if (request.get("clear") instanceof JsonElement c && c.isJsonPrimitive() && c.getAsBoolean()) {
            history.clearEnded();
        }
        for (String id : Json.strings(request, "delete")) {
            history.find(id).filter(PromptRecord::ended).ifPresent(r -> history.remove(id));
        }
        return ComfyResponse.json(new JsonObject());
    }
}
