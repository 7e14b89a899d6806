package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.CheckpointFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a file can be wrong, each refused with a message that names the file and the fault. */
class MalformedFilesTest {
    private static final String F32_2X2 = "\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAClearMessage(String what, byte[] content, String expected) {
        Path file = TestFiles.write(dir, "bad.safetensors", content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> new SafetensorsFormat().open(file).close(), what);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected to contain: " + expected);
    }

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        // the length prefix
        cases.add(bytes("empty file", new byte[0], "file is 0 bytes, too short for a safetensors header"));
        cases.add(bytes("5-byte file", new byte[] {1, 0, 0, 0, 0}, "file is 5 bytes"));
        cases.add(bytes("length 2^64-1", TestFiles.concat(TestFiles.lengthPrefix(-1), "{}".getBytes()),
                "header length 18446744073709551615 is over the limit (expected: at most 100000000 bytes)"));
        cases.add(bytes("length over 100 MB", TestFiles.concat(TestFiles.lengthPrefix(100_000_001), "{}".getBytes()),
                "header length 100000001 is over the limit"));
        cases.add(bytes("length past the end", TestFiles.concat(TestFiles.lengthPrefix(1000), "{}".getBytes()),
                "header length 1000 runs past the end of the file (10 bytes)"));
        // the header's encoding and JSON
        cases.add(header("invalid UTF-8", new byte[] {'{', '"', 'a', (byte) 0xff, '"', ':', '1', '}'},
                "header is not valid UTF-8 (at byte 3)"));
        cases.add(header("overlong UTF-8", new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'},
                "header is not valid UTF-8 (at byte 2)"));
        cases.add(header("UTF-8 surrogate", new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'},
                "header is not valid UTF-8"));
        cases.add(header("empty header", "", "header does not start with '{' (found an empty header"));
        cases.add(header("array header", "[1,2]", "header does not start with '{' (found byte 0x5b"));
        cases.add(header("leading space", " {}", "header does not start with '{' (found byte 0x20"));
        cases.add(header("deep array header", "[".repeat(100_000), "header does not start with '{'"));
        cases.add(header("unterminated object", "{", "header is not valid JSON: expected a member name in double quotes, found the end of the document at byte 1"));
        cases.add(header("missing value", "{\"a\":}", "header is not valid JSON: expected a value, found '}' at byte 5"));
        cases.add(header("missing colon", "{\"a\" 1}", "expected ':', found '1' at byte 5"));
        cases.add(header("trailing comma", "{\"a\":{" + F32_2X2 + "},}", "expected a member name in double quotes, found '}'"));
        cases.add(header("single quotes", "{'a':1}", "expected a member name in double quotes, found '''"));
        cases.add(header("data after the object", "{} {}", "unexpected '{' after the end of the value at byte 3"));
        cases.add(header("NUL padding", "{}\0\0\0\0\0\0", "unexpected '\\x00' after the end of the value at byte 2"));
        cases.add(header("unterminated string", "{\"abc", "unterminated string at byte 1"));
        cases.add(header("control character in a name", "{\"a\nb\":1}", "unescaped control character \\x0a in a string"));
        cases.add(header("bad escape", "{\"a\\qb\":1}", "invalid escape '\\q' in a string"));
        cases.add(header("lone surrogate escape", "{\"a\\ud800\":1}", "lone surrogate \\ud800 in a string"));
        cases.add(header("NaN shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[NaN],\"data_offsets\":[0,4]}}", "expected a value, found 'N'"));
        cases.add(header("leading zero", "{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", "leading zero in a number"));
        cases.add(header("bare minus", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-],\"data_offsets\":[0,4]}}", "expected a digit, found ']'"));
        cases.add(header("deep nesting in an unknown field", "{\"a\":{\"x\":" + "[".repeat(100_000),
                "header is not valid JSON: nested deeper than 64 levels at byte"));
        // the top-level object
        cases.add(header("duplicate tensor", "{\"a\":{" + F32_2X2 + "},\"a\":{" + F32_2X2 + "}}", "duplicate key 'a' in the header"));
        cases.add(header("duplicate metadata", "{\"__metadata__\":{},\"__metadata__\":{}}", "duplicate key '__metadata__' in the header"));
        cases.add(header("tensor is a number", "{\"a\":1}", "tensor 'a' is a number (expected: an object with dtype, shape and data_offsets)"));
        cases.add(header("tensor is deeply nested arrays", "{\"a\":" + "[".repeat(100_000), "tensor 'a' is an array"));
        // __metadata__
        cases.add(header("metadata is an array", "{\"__metadata__\":[\"a\"]}", "__metadata__ is an array (expected: an object of strings)"));
        cases.add(header("metadata is a string", "{\"__metadata__\":\"a\"}", "__metadata__ is a string"));
        cases.add(header("metadata value is a number", "{\"__metadata__\":{\"epoch\":3}}", "__metadata__ value for 'epoch' is a number (expected: a string)"));
        cases.add(header("metadata value is nested", "{\"__metadata__\":{\"k\":" + "{\"k\":".repeat(100_000), "__metadata__ value for 'k' is an object"));
        cases.add(header("metadata value is null", "{\"__metadata__\":{\"k\":null}}", "__metadata__ value for 'k' is null"));
        cases.add(header("metadata duplicate key", "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", "__metadata__ has a duplicate key 'k'"));
        // one tensor entry
        cases.add(header("missing dtype", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'w': missing field 'dtype'"));
        cases.add(header("missing shape", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "tensor 'w': missing field 'shape'"));
        cases.add(header("missing data_offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'w': missing field 'data_offsets'"));
        cases.add(header("duplicate field", "{\"w\":{\"dtype\":\"F32\"," + F32_2X2 + "}}", "tensor 'w': duplicate field 'dtype'"));
        cases.add(header("dtype is a number", entry("32", "[2]", "[0,8]"), "tensor 'w': dtype is a number (expected: a string)"));
        cases.add(header("unknown dtype", entry("\"U16\"", "[2]", "[0,4]"),
                "tensor 'w': unsupported dtype 'U16' (expected: one of [F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U8, BOOL])"));
        cases.add(header("lower-case dtype", entry("\"f32\"", "[2]", "[0,8]"), "tensor 'w': unsupported dtype 'f32'"));
        cases.add(header("shape is a string", entry("\"F32\"", "\"2\"", "[0,8]"), "tensor 'w': shape is a string (expected: an array of non-negative integers)"));
        cases.add(header("shape is an object", entry("\"F32\"", "{}", "[0,8]"), "tensor 'w': shape is an object"));
        cases.add(header("negative dimension", entry("\"F32\"", "[-1]", "[0,8]"), "tensor 'w': shape[0] is '-1' (expected: a non-negative integer)"));
        cases.add(header("fractional dimension", entry("\"F32\"", "[2,2.0]", "[0,16]"), "tensor 'w': shape[1] is '2.0' (expected: a non-negative integer)"));
        cases.add(header("exponent dimension", entry("\"F32\"", "[1e1]", "[0,40]"), "tensor 'w': shape[0] is '1e1'"));
        cases.add(header("string dimension", entry("\"F32\"", "[\"2\"]", "[0,8]"), "tensor 'w': shape[0] is a string (expected: a non-negative integer)"));
        cases.add(header("null dimension", entry("\"F32\"", "[null]", "[0,8]"), "tensor 'w': shape[0] is null"));
        cases.add(header("nested dimension", entry("\"F32\"", "[[2]]", "[0,8]"), "tensor 'w': shape[0] is an array"));
        cases.add(header("huge dimension", entry("\"F32\"", "[99999999999999999999]", "[0,8]"),
                "tensor 'w': shape[0] is '99999999999999999999' (expected: at most 9223372036854775807)"));
        cases.add(header("dimension over int", entry("\"U8\"", "[3000000000]", "[0,3000000000]"),
                "tensor 'w': shape [3000000000] has a dimension over 2147483647"));
        cases.add(header("element count overflow", entry("\"F32\"", "[2147483647,2147483647,2147483647]", "[0,8]"),
                "tensor 'w': shape [2147483647, 2147483647, 2147483647] overflows 64-bit element count"));
        cases.add(header("byte size overflow", entry("\"F64\"", "[2147483647,2147483647,2]", "[0,8]"),
                "tensor 'w': shape [2147483647, 2147483647, 2] of F64 overflows 64-bit byte size"));
        cases.add(header("rank over 64", entry("\"F32\"", "[" + "1,".repeat(64) + "1]", "[0,4]"), "tensor 'w': shape has more than 64 entries"));
        cases.add(header("offsets not an array", entry("\"F32\"", "[2]", "8"), "tensor 'w': data_offsets is a number (expected: an array of non-negative integers)"));
        cases.add(header("one offset", entry("\"F32\"", "[2]", "[8]"), "tensor 'w': data_offsets has 1 entries (expected: 2, [begin, end])"));
        cases.add(header("three offsets", entry("\"F32\"", "[2]", "[0,8,16]"), "tensor 'w': data_offsets has more than 2 entries"));
        cases.add(header("negative offset", entry("\"F32\"", "[2]", "[-8,0]"), "tensor 'w': data_offsets[0] is '-8'"));
        cases.add(header("end before begin", entry("\"F32\"", "[2]", "[8,0]"), "tensor 'w': data_offsets [8, 0] end before they begin"));
        cases.add(header("offsets do not match the size", entry("\"F32\"", "[2,2]", "[0,12]"),
                "tensor 'w': data_offsets [0, 12] span 12 bytes (expected: 16 for F32 [2, 2])"));
        cases.add(header("offsets do not match an empty tensor", entry("\"F32\"", "[2,0]", "[0,4]"),
                "tensor 'w': data_offsets [0, 4] span 4 bytes (expected: 0 for F32 [2, 0])"));
        // where the tensors lie
        cases.add(data("offsets beyond the data", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[1000000000000,1000000000008]}}", 8,
                "tensor 'w' [1000000000000, 1000000000008) lies outside the data buffer, which holds 8 bytes"));
        cases.add(data("truncated data", "{\"a\":{" + F32_2X2 + "},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", 20,
                "tensor 'b' [16, 24) lies outside the data buffer, which holds 20 bytes (the file is truncated"));
        cases.add(data("overlap", "{\"a\":{" + F32_2X2 + "},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24,
                "tensors 'a' [0, 16) and 'b' [8, 24) overlap"));
        cases.add(data("same offsets twice", "{\"a\":{" + F32_2X2 + "},\"b\":{" + F32_2X2 + "}}", 16,
                "tensors 'a' [0, 16) and 'b' [0, 16) overlap"));
        cases.add(data("empty tensor inside another", "{\"a\":{" + F32_2X2 + "},\"b\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", 16,
                "tensors 'a' [0, 16) and 'b' [4, 4) overlap"));
        cases.add(data("gap", "{\"a\":{" + F32_2X2 + "},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,24]}}", 24,
                "gap of 4 bytes between tensor 'a' [0, 16) and tensor 'b' [20, 24) (expected: tensors to cover the data buffer contiguously)"));
        cases.add(data("not starting at 0", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                "gap of 4 bytes between the start of the data buffer and tensor 'a' [4, 8)"));
        cases.add(data("trailing bytes", "{\"a\":{" + F32_2X2 + "}}", 20,
                "4 bytes after the end of the last tensor's data at 16 (expected: the tensors to end the file)"));
        cases.add(data("data but no tensors", "{}", 3, "3 bytes after the end of the last tensor's data at 0"));
        cases.add(data("hostile name is quoted short", "{\"" + "x".repeat(10_000) + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 0,
                "tensor '" + "x".repeat(120) + "...(10000 chars)' [0, 4) lies outside"));
        return cases.stream();
    }

    private static String entry(String dtype, String shape, String offsets) {
        return "{\"w\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }

    private static Arguments bytes(String what, byte[] content, String expected) {
        return Arguments.of(what, content, expected);
    }

    private static Arguments header(String what, String header, String expected) {
        return header(what, header.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static Arguments header(String what, byte[] header, String expected) {
        return Arguments.of(what, TestFiles.file(header, new byte[0]), expected);
    }

    private static Arguments data(String what, String header, int dataBytes, String expected) {
        return Arguments.of(what, TestFiles.file(header, dataBytes), expected);
    }
}
