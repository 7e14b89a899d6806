package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GenerateOptionsTest {

    @Test
    void loraSpecsTakeTheTrailingNumbersAsStrengths() {
        var l = GenerateCommand.lora("a/b:c/lora.safetensors:0.8:1.0", false);
        assertEquals("a/b:c/lora.safetensors", l.getName());
        assertEquals(0.8f, l.getStrengthModel());
        assertEquals(1.0f, l.getStrengthClip());
        var one = GenerateCommand.lora("x.safetensors:0.5", false);
        assertEquals(0.5f, one.getStrengthClip(), "strength_clip defaults to strength_model");
        var e = assertThrows(UserError.class, () -> GenerateCommand.lora("x.safetensors", false));
        assertEquals("--lora: x.safetensors (expected: FILE:STRENGTH_MODEL[:STRENGTH_CLIP])", e.getMessage());
    }

    @Test
    void batchOutputsAreNumbered() {
        assertEquals(Path.of("out/img_b1.png"), GenerateCommand.batchName(Path.of("out/img.png"), 1));
    }

    @Test
    void badOptionsExitWithTwoAndAMessage() {
        var r = CliRunner.run("generate", "--model", "x.safetensors", "--out", "picture.jpg");
        assertEquals(2, r.exitCode());
        assertEquals("stipple generate: --out: picture.jpg (expected: a .png file name)", r.err().strip());
        var unknown = CliRunner.run("generate", "--no-such-option");
        assertEquals(2, unknown.exitCode());
    }
}
