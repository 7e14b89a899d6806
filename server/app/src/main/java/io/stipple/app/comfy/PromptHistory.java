package io.stipple.app.comfy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** The prompts queued on the ComfyUI port, newest last, bounded in count like ComfyUI's own history. */
final class PromptHistory {
    private final int max;
    private final LinkedHashMap<String, PromptRecord> records = new LinkedHashMap<>();
    private long nextNumber;

    PromptHistory(int max) {
        this.max = max;
    }

    /** ComfyUI's "number": the prompt's place in the order of submission. */
    synchronized long nextNumber() {
        return nextNumber++;
    }

    synchronized void add(PromptRecord r) {
        records.put(r.promptId(), r);
        var it = records.values().iterator();
        // only ended prompts are dropped: a waiting one must stay visible in /queue
        while (records.size() > max && it.hasNext()) {
            if (it.next().ended()) {
                it.remove();
            }
        }
    }

    synchronized Optional<PromptRecord> find(String promptId) {
        return Optional.ofNullable(records.get(promptId));
    }

    /** Ended prompts, oldest first. */
    synchronized List<PromptRecord> ended() {
        return records.values().stream().filter(PromptRecord::ended).toList();
    }

    synchronized void remove(String promptId) {
        records.remove(promptId);
    }

    synchronized void clearEnded() {
        records.values().removeIf(PromptRecord::ended);
    }

    synchronized List<PromptRecord> all() {
        return new ArrayList<>(records.values());
    }
}
