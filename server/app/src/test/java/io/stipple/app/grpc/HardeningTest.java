package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.stipple.app.testing.HostileInputs;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.InitSource;
import io.stipple.proto.v1.LoraSpec;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.OutputOptions;
import io.stipple.proto.v1.StippleGrpc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a hostile client found, each fed to the server as it was sent: the status and message it
 * gets now, and that the next request is served. (Files and symbolic links: {@code HardeningFilesTest};
 * shutdown: {@code ShutdownTest}.)
 */
class HardeningTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerateRequest.Builder valid() {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("a cat").setWidth(64).setHeight(64).setSteps(1).setSeed(1);
    }

    private static StatusRuntimeException generateFails(UnaryOperator<GenerateRequest.Builder> change) {
        GenerateRequest request = change.apply(valid()).build();
        return assertThrows(StatusRuntimeException.class, () -> server.blocking().generate(request).forEachRemaining(e -> {}));
    }

    /** The status and message, then proof that the server still serves. */
    private static void refused(StatusRuntimeException e, Status.Code code, String expectedMessage) {
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(expectedMessage),
                "expected the message to contain «" + expectedMessage + "», got «" + e.getStatus().getDescription() + "»");
        assertTrue(e.getStatus().getDescription().length() < 1000, "a bounded message: " + e.getStatus().getDescription().length());
        assertFalse(e.getStatus().getDescription().contains(server.home().toString()), "no server path in " + e.getStatus());
        assertEquals(1, StippleClient.over(server.channel()).generate(valid().build()).images().size(), "the next request is served");
    }

    private static void invalid(String expectedMessage, UnaryOperator<GenerateRequest.Builder> change) {
        refused(generateFails(change), Status.Code.INVALID_ARGUMENT, expectedMessage);
    }

    private static StatusRuntimeException mergeFails(String outputName) {
        return assertThrows(StatusRuntimeException.class, () -> StippleClient.over(server.channel()).merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(MergeRecipe.newBuilder().setModelB("sd15_tiny.safetensors"))
                .setOutputName(outputName).build()).forEachRemaining(e -> {}));
    }

    @Test
    void aNulByteInAnyNameIsInvalidAndNamesTheField() {
        invalid("model.checkpoint: a\\u0000b.safetensors contains the control character U+0000",
                b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("a\u0000b.safetensors")));
        invalid("model.loras[0].name: l\\u0000.safetensors contains the control character U+0000",
                b -> b.setModel(b.getModel().toBuilder().addLoras(LoraSpec.newBuilder().setName("l\u0000.safetensors"))));
        invalid("model.vae: v\\u0000.safetensors contains the control character U+0000",
                b -> b.setModel(b.getModel().toBuilder().setVae("v\u0000.safetensors")));
        invalid("model.merge.model_b: m\\u0000.safetensors contains the control character",
                b -> b.setModel(b.getModel().toBuilder().setMerge(MergeRecipe.newBuilder().setModelB("m\u0000.safetensors"))));
        refused(mergeFails("out\u0000.safetensors"), Status.Code.INVALID_ARGUMENT,
                "output_name: out\\u0000.safetensors contains the control character U+0000");
    }

    @Test
    void theSmallestClipSkipIsInvalidNotAnOverflow() {
        invalid("clip_skip: -2147483648 (expected: -1 to -48", b -> b.setClipSkip(Integer.MIN_VALUE));
        invalid("clip_skip: 2147483647 (expected: -1 to -48", b -> b.setClipSkip(Integer.MAX_VALUE));
    }

    @Test
    void anInitImageSmallerThanEightPixelsIsInvalid() {
        byte[] tiny = HostileInputs.png(1, 1);
        invalid("init.image: image of 1x1 pixels is too small (expected: at least 8 pixels on each side)",
                b -> b.clearWidth().clearHeight().setDenoise(0.5f).setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(tiny))));
        invalid("init.image: image of 1x1 pixels is too small",
                b -> b.setDenoise(0.5f).setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(tiny))));
        invalid("init.image: image of 7x64 pixels is too small",
                b -> b.setDenoise(0.5f).setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(HostileInputs.png(7, 64)))));
    }

    @Test
    void aNameTooLongForTheFileSystemIsInvalidWithoutAServerPath() {
        String name = "m".repeat(300) + ".safetensors";
        refused(mergeFails(name), Status.Code.INVALID_ARGUMENT, "has a file or folder name of 312 bytes (expected: at most 255 bytes");
        refused(mergeFails("sub/" + "é".repeat(130) + ".safetensors"), Status.Code.INVALID_ARGUMENT, "of 272 bytes");
        invalid("model.checkpoint: " + "m".repeat(80) + "… (312 characters)",
                b -> b.setModel(ModelSpec.newBuilder().setCheckpoint(name)));
    }

    @Test
    void aHugeNameIsEchoedAsABoundedPrefix() {
        String huge = "x".repeat(70_000);
        invalid("model.checkpoint: " + "x".repeat(80) + "… (70000 characters) (expected: a checkpoints file name of at most 1024",
                b -> b.setModel(ModelSpec.newBuilder().setCheckpoint(huge)));
        invalid("sampler: " + "x".repeat(80) + "… (70000 characters) (expected: one of [", b -> b.setSampler(huge));
        invalid("scheduler: " + "x".repeat(80) + "… (70000 characters)", b -> b.setScheduler(huge));
        refused(mergeFails(huge + ".safetensors"), Status.Code.INVALID_ARGUMENT, "… (70012 characters)");
    }

    @Test
    void anImageHeaderClaimingAHugeSizeIsRefusedBeforeDecoding() {
        byte[] bomb = HostileInputs.pngHeaderClaiming(8192, 8192);
        assertTrue(bomb.length < 100);
        long started = System.nanoTime();
        invalid("init.image: image of 8192x8192 pixels is too large (expected: at most 16777216 pixels)",
                b -> b.setDenoise(0.5f).setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(bomb))));
        assertTrue(System.nanoTime() - started < 30_000_000_000L);
    }

    @Test
    void nonFiniteOrHugePromptWeightsAreInvalid() {
        invalid("prompt: the weight NaN of word (expected: a finite number from -100.0 to 100.0)", b -> b.setPrompt("a (word:nan) cat"));
        invalid("prompt: the weight Infinity of word", b -> b.setPrompt("(word:inf)"));
        invalid("negative_prompt: the weight 1.0E308 of word", b -> b.setNegativePrompt("(word:1e308)"));
        invalid("prompt: parentheses nested 5000 deep (expected: at most 100)",
                b -> b.setPrompt("(".repeat(5000) + "x" + ")".repeat(5000)));
    }

    @Test
    void aLatentHoldingNanIsInvalid() {
        var first = StippleClient.over(server.channel()).generate(valid().setOutput(OutputOptions.newBuilder().setIncludeLatent(true)).build());
        byte[] latent = first.result().getLatent().toByteArray();
        long headerLength = ByteBuffer.wrap(latent, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Matcher m = Pattern.compile("\"latent_tensor\":\\{[^}]*\"data_offsets\":\\[(\\d+),")
                .matcher(new String(latent, 8, (int) headerLength, StandardCharsets.UTF_8));
        assertTrue(m.find());
        int at = (int) (8 + headerLength + Long.parseLong(m.group(1))) + 4 * 5;
        ByteBuffer.wrap(latent, at, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        invalid("init.latent: latent_tensor holds NaN at element 5 (expected: finite numbers)",
                b -> b.clearWidth().clearHeight().setDenoise(0.5f).setInit(InitSource.newBuilder().setLatent(ByteString.copyFrom(latent))));
    }

    @Test
    void moreLorasThanTheMaximumAreInvalid() {
        invalid("model.loras: 33 LoRAs (expected: at most 32)", b -> {
            var model = b.getModel().toBuilder();
            for (int i = 0; i < 33; i++) {
                model.addLoras(LoraSpec.newBuilder().setName("lora_a.safetensors").setStrengthModel(0.01f));
            }
            return b.setModel(model);
        });
    }

    @Test
    void bytesThatAreNotAGenerateRequestAreInvalidArgument() {
        MethodDescriptor<byte[], byte[]> raw = StippleGrpc.getGenerateMethod().toBuilder(new MalformedRequests.BytesMarshaller(), new MalformedRequests.BytesMarshaller()).build();
        // field 2 (prompt) says it is a string of 100 bytes, and the message ends after three
        byte[] garbage = {0x12, 100, 'a', 'b', 'c'};
        var e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingServerStreamingCall(
                server.channel(), raw, CallOptions.DEFAULT, garbage).forEachRemaining(x -> {}));
        refused(e, Status.Code.INVALID_ARGUMENT, "request: 5 bytes that are not a valid GenerateRequest");
    }
}
