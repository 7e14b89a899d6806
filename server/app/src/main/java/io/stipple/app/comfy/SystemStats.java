package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.stipple.app.config.ServerConfig;

/** GET /system_stats in ComfyUI's shape: the JVM's memory as RAM, the configured backend as the device. */
final class SystemStats {
    private final ServerConfig config;

    SystemStats(ServerConfig config) {
        this.config = config;
    }

    ComfyResponse get() {
        Runtime rt = Runtime.getRuntime();
        JsonObject system = new JsonObject();
        system.addProperty("os", System.getProperty("os.name"));
        system.addProperty("ram_total", rt.maxMemory());
        system.addProperty("ram_free", rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
        String version = SystemStats.class.getPackage().getImplementationVersion();
        system.addProperty("comfyui_version", "stipple " + (version == null ? "dev" : version));
        system.addProperty("python_version", "");
        system.addProperty("pytorch_version", "");
        system.addProperty("embedded_python", false);
        system.add("argv", new JsonArray());
        JsonObject device = new JsonObject();
        String backend = config.backend().optionName();
        device.addProperty("name", backend);
        device.addProperty("type", backend);
        device.addProperty("index", 0);
        device.addProperty("vram_total", 0);
        device.addProperty("vram_free", 0);
        device.addProperty("torch_vram_total", 0);
        device.addProperty("torch_vram_free", 0);
        JsonArray devices = new JsonArray();
        devices.add(device);
        JsonObject o = new JsonObject();
        o.add("system", system);
        o.add("devices", devices);
        return ComfyResponse.json(o);
    }
}
