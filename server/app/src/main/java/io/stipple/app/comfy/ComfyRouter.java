package io.stipple.app.comfy;

/** ComfyUI's routes (the {@code /api} prefix already taken off) to their handlers. */
final class ComfyRouter {
    private final PromptBridge prompts;
    private final HistoryRoutes history;
    private final QueueRoutes queue;
    private final ViewRoute view;
    private final SystemStats stats;
    private final ObjectInfo objectInfo;
    private final UploadRoute upload;
    private final ModelsRoute models;

    ComfyRouter(PromptBridge prompts, HistoryRoutes history, QueueRoutes queue, ViewRoute view, SystemStats stats, ObjectInfo objectInfo,
            UploadRoute upload, ModelsRoute models) {
        this.upload = upload;
        this.models = models;
        this.prompts = prompts;
        this.history = history;
        this.queue = queue;
        this.view = view;
        this.stats = stats;
        this.objectInfo = objectInfo;
    }

    ComfyResponse route(ComfyRequest r) {
        String p = r.path();
        boolean get = r.method().equals("GET");
        boolean post = r.method().equals("POST");
        if (p.equals("/prompt")) {
            if (post) {
                return prompts.submit(r.body());
            }
            if (get) {
                com.google.gson.JsonObject info = new com.google.gson.JsonObject();
                com.google.gson.JsonObject exec = new com.google.gson.JsonObject();
                exec.addProperty("queue_remaining", queue.remaining());
                info.add("exec_info", exec);
                return ComfyResponse.json(info);
            }
        } else if (p.equals("/history")) {
            if (get) {
                return history.all(r.param("max_items"));
            }
            if (post) {
                return history.post(r.body());
            }
        } else if (p.startsWith("/history/") && get) {
            return history.one(p.substring("/history/".length()));
        } else if (p.equals("/queue")) {
            if (get) {
                return queue.get();
            }
            if (post) {
                return queue.post(r.body());
            }
        } else if (p.equals("/interrupt") && post) {
            return queue.interrupt(r.body());
        } else if (p.equals("/view") && get) {
            return view.get(r);
        } else if (p.equals("/models") && get) {
            return models.folders();
        } else if (p.startsWith("/models/") && get) {
            return models.files(p.substring("/models/".length()));
        } else if (p.equals("/upload/image") && post) {
            return upload.post(r);
        } else if (p.equals("/system_stats") && get) {
            return stats.get();
        } else if (p.equals("/object_info") && get) {
            return objectInfo.all();
        } else if (p.startsWith("/object_info/") && get) {
            return objectInfo.one(p.substring("/object_info/".length()));
        } else {
            throw ComfyException.plain(404, "no such route: " + Printable.of(p) + " (expected: /prompt, /history, /queue, /interrupt, "
                    + "/view, /upload/image, /models, /system_stats, /object_info or /ws, each also under /api)");
        }
        throw ComfyException.plain(405, r.method() + " is not allowed on " + Printable.of(p));
    }
}
