package io.stipple.format.ckpt;

import java.util.Map;

/** Opcode names, for messages about the ones the interpreter refuses. */
final class Opcodes {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry((int) 'I', "INT"), Map.entry((int) 'L', "LONG"), Map.entry((int) 'F', "FLOAT"),
            Map.entry((int) 'S', "STRING"), Map.entry((int) 'V', "UNICODE"), Map.entry((int) 'p', "PUT"),
            Map.entry((int) 'g', "GET"), Map.entry((int) 'P', "PERSID"), Map.entry(0x82, "EXT1"),
            Map.entry(0x83, "EXT2"), Map.entry(0x84, "EXT4"), Map.entry(0x85, "TUPLE1"), Map.entry(0x86, "TUPLE2"),
            Map.entry(0x87, "TUPLE3"), Map.entry(0x97, "NEXT_BUFFER"), Map.entry(0x98, "READONLY_BUFFER"));

    private Opcodes() {}

    static String name(int op) {
        return NAMES.getOrDefault(op, String.format("0x%02x", op));
    }

    static String unsupported(int op) {
        String name = NAMES.get(op);
        if (name == null) {
            return String.format("unknown pickle opcode 0x%02x", op);
        }
        return String.format("unsupported pickle opcode %s (0x%02x; torch.save writes only binary protocol 2+ opcodes,"
                + " and out-of-band buffers are not part of a checkpoint)", name, op);
    }
}
