package io.stipple.app.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a PNG's tEXt and iTXt chunks, as tools that show A1111 parameters do. */
public final class PngText {
    private PngText() {}

    public static Map<String, String> read(byte[] png) {
        Map<String, String> out = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int len = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[len];
            b.get(data);
            b.getInt();
            String t = new String(type, StandardCharsets.US_ASCII);
            if (t.equals("tEXt") || t.equals("iTXt")) {
                int nul = 0;
                while (data[nul] != 0) {
                    nul++;
                }
                String key = new String(data, 0, nul, StandardCharsets.ISO_8859_1);
                String value = t.equals("tEXt") ? new String(data, nul + 1, len - nul - 1, StandardCharsets.ISO_8859_1)
                        : new String(data, nul + 5, len - nul - 5, StandardCharsets.UTF_8);
                out.put(key, value);
            }
        }
        return out;
    }
}
