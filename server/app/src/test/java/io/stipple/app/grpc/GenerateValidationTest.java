package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.InitSource;
import io.stipple.proto.v1.LoraSpec;
import io.stipple.proto.v1.ModelSpec;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad GenerateRequest gets the status and a message naming the field, from the client's side. */
class GenerateValidationTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerateRequest.Builder valid() {
        return GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("a cat").setWidth(64).setHeight(64).setSteps(2);
    }

    private static StatusRuntimeException fails(UnaryOperator<GenerateRequest.Builder> change) {
        GenerateRequest request = change.apply(valid()).build();
        return assertThrows(StatusRuntimeException.class, () -> server.blocking().generate(request).forEachRemaining(e -> {}));
    }

    private static void invalid(String expectedMessage, UnaryOperator<GenerateRequest.Builder> change) {
        StatusRuntimeException e = fails(change);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(expectedMessage),
                "expected the message to contain «" + expectedMessage + "», got «" + e.getStatus().getDescription() + "»");
    }

    @Test
    void sizeMustBeAMultipleOfEight() {
        invalid("width: 513 (expected: a multiple of 8)", b -> b.setWidth(513));
        invalid("height: 100 (expected: a multiple of 8)", b -> b.setHeight(100));
    }

    @Test
    void sizeMustBeInRange() {
        invalid("width: 8 (expected: 64 to 2048)", b -> b.setWidth(8));
        invalid("height: 8192 (expected: 64 to 2048)", b -> b.setHeight(8192));
    }

    @Test
    void stepsMustBeInRange() {
        invalid("steps: 0 (expected: 1 to 1000)", b -> b.setSteps(0));
        invalid("steps: 100000 (expected: 1 to 1000)", b -> b.setSteps(100000));
    }

    @Test
    void cfgMustNotBeNegative() {
        invalid("cfg: -1.0 (expected: 0 to 100)", b -> b.setCfg(-1f));
        invalid("cfg: NaN", b -> b.setCfg(Float.NaN));
    }

    @Test
    void batchAndDenoiseRanges() {
        invalid("batch_size: 0 (expected: 1 to 16)", b -> b.setBatchSize(0));
        invalid("denoise: 0.0 (expected: greater than 0 and at most 1)", b -> b.setDenoise(0f));
        invalid("denoise: 0.5 (expected: 1.0 without an init image or latent", b -> b.setDenoise(0.5f));
    }

    @Test
    void unknownSamplerAndSchedulerListTheValidNames() {
        invalid("sampler: foo (expected: one of [", b -> b.setSampler("foo"));
        invalid("scheduler: bar (expected: one of [", b -> b.setScheduler("bar"));
    }

    @Test
    void clipSkipRange() {
        invalid("clip_skip: 99", b -> b.setClipSkip(99));
    }

    @Test
    void modelIsRequiredAndResolvedInsideTheFolder() {
        invalid("model: missing", b -> b.clearModel());
        invalid("model.checkpoint: empty", b -> b.setModel(ModelSpec.newBuilder()));
        invalid("model.checkpoint: ../../etc/passwd (expected: a name inside checkpoints/)",
                b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("../../etc/passwd")));
        invalid("model.checkpoint: /etc/passwd (expected: a name inside checkpoints/, not an absolute path)",
                b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("/etc/passwd")));
    }

    @Test
    void unknownModelIsNotFoundAndListsWhatThereIs() {
        StatusRuntimeException e = fails(b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("nope.safetensors")));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("model.checkpoint: nope.safetensors not found in checkpoints/"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("sd15_tiny.safetensors"), e.getStatus().getDescription());
    }

    @Test
    void unknownLoraIsNotFound() {
        StatusRuntimeException e = fails(b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")
                .addLoras(LoraSpec.newBuilder().setName("missing.safetensors"))));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("model.loras[0].name: missing.safetensors not found in loras/"),
                e.getStatus().getDescription());
    }

    @Test
    void loraStrengthRange() {
        StatusRuntimeException e = fails(b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")
                .addLoras(LoraSpec.newBuilder().setName("x.safetensors").setStrengthModel(0.5f))));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode()); // the name is checked first
    }

    @Test
    void corruptInitImageIsInvalid() {
        invalid("init.image: not a PNG or JPEG image", b -> b.setInit(InitSource.newBuilder()
                .setImage(ByteString.copyFromUtf8("definitely not an image"))).setDenoise(0.5f));
    }

    @Test
    void corruptInitLatentIsInvalid() {
        invalid("init.latent: not a readable .latent file", b -> b.setInit(InitSource.newBuilder()
                .setLatent(ByteString.copyFromUtf8("garbage garbage garbage"))).setDenoise(0.5f));
    }

    @Test
    void aFileThatIsNotAModelIsAFailedPrecondition() {
        StatusRuntimeException e = fails(b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("not_a_model.safetensors")));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("not_a_model.safetensors"), e.getStatus().getDescription());
    }

    @Test
    void aUnetOnlyFileSaysWhatIsMissing() {
        StatusRuntimeException e = fails(b -> b.setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny_b.safetensors")));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("no CLIP text encoder"), e.getStatus().getDescription());
    }
}
