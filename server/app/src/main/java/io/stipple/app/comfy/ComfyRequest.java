package io.stipple.app.comfy;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request, copied out of Netty's buffers so that a handler can run off the event loop.
 *
 * @param path the path without the {@code /api} prefix and the query
 */
record ComfyRequest(String method, String path, Map<String, List<String>> query, byte[] body, Map<String, FormPart> form) {

    /** A request without a multipart body. */
    ComfyRequest(String method, String path, Map<String, List<String>> query, byte[] body) {
        this(method, path, query, body, Map.of());
    }

    /** A query parameter, or null when absent. */
    String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
