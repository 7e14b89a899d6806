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
    void theSummarySaysWhatWasDrawnAndHowLongItTook() {
        var image = io.stipple.proto.v1.Image.newBuilder().setWidth(64).setHeight(96).build();
        var result = io.stipple.proto.v1.Result.newBuilder().setSeed(42).setModelFamily("sd15")
                .setTimings(io.stipple.proto.v1.Timings.newBuilder().setTotalMs(1234).setLoadMs(200).setSampleMs(850).setDecodeMs(40)).build();
        assertEquals("drew \"a cat\", 64x96, seed 42 (sd15) in 1.2 s (load 0.2 s, sampling 0.9 s, decode 0.0 s)",
                GenerateCommand.summary("a cat", java.util.List.of(image), result));
        assertEquals("drew \"\", 64x96, a batch of 2, seed 42 (sd15) in 1.2 s (load 0.2 s, sampling 0.9 s, decode 0.0 s)",
                GenerateCommand.summary("", java.util.List.of(image, image), result));
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
