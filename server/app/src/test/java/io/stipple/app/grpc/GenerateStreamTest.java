package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.testing.PngText;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.OutputOptions;
import io.stipple.proto.v1.PreviewOptions;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A generation with the tiny SD1.5 checkpoint through the service: the event stream and the PNGs. */
class GenerateStreamTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("a red fox in the snow").setNegativePrompt("blurry")
                .setWidth(64).setHeight(96).setSeed(1234).setSteps(4).setCfg(7f).setSampler("euler").setScheduler("normal");
    }

    @Test
    void streamsQueuedProgressPreviewsImagesAndResult() throws Exception {
        var request = request().setBatchSize(2)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(2).setFormat(ImageFormat.IMAGE_FORMAT_PNG).setMaxSize(64))
                .setOutput(OutputOptions.newBuilder().setIncludeLatent(true)).build();
        List<GenerateEvent> events = new ArrayList<>();
        StippleClient.over(server.channel()).events(request).forEachRemaining(events::add);

        assertTrue(events.getFirst().hasQueued(), events.getFirst().toString());
        List<Integer> steps = events.stream().filter(GenerateEvent::hasProgress).map(e -> e.getProgress().getStep()).toList();
        assertEquals(List.of(1, 2, 3, 4), steps);
        assertTrue(events.stream().filter(GenerateEvent::hasProgress).allMatch(e -> e.getProgress().getTotalSteps() == 4));
        List<Integer> previews = events.stream().filter(GenerateEvent::hasPreview).map(e -> e.getPreview().getStep()).toList();
        assertEquals(List.of(2, 4), previews);
        var preview = events.stream().filter(GenerateEvent::hasPreview).findFirst().orElseThrow().getPreview();
        var previewImage = ImageIO.read(preview.getData().newInput());
        var firstImage = ImageIO.read(events.stream().filter(GenerateEvent::hasImage).findFirst().orElseThrow().getImage().getPng().newInput());
        assertEquals(firstImage.getWidth() / 8, previewImage.getWidth(), "the preview is the latent's size, never scaled up to max_size");
        assertEquals(firstImage.getHeight() / 8, previewImage.getHeight());
        assertEquals(preview.getWidth(), previewImage.getWidth());

        var images = events.stream().filter(GenerateEvent::hasImage).map(GenerateEvent::getImage).toList();
        assertEquals(2, images.size());
        for (int i = 0; i < 2; i++) {
            var image = images.get(i);
            assertEquals(i, image.getIndex());
            assertEquals(1234, image.getSeed());
            var png = ImageIO.read(image.getPng().newInput());
            assertEquals(64, png.getWidth());
            assertEquals(96, png.getHeight());
            String parameters = PngText.read(image.getPng().toByteArray()).get("parameters");
            assertTrue(parameters.startsWith("a red fox in the snow\nNegative prompt: blurry\nSteps: 4, Sampler: Euler, "
                    + "Schedule type: Normal, CFG scale: 7, Seed: 1234, Size: 64x96, Model hash: "), parameters);
            assertTrue(parameters.contains("Model: sd15_tiny"), parameters);
            assertEquals(parameters, image.getParameters());
        }
        var result = events.getLast();
        assertTrue(result.hasResult());
        assertEquals("sd15", result.getResult().getModelFamily());
        assertEquals(1234, result.getResult().getSeed());
        assertFalse(result.getResult().getLatent().isEmpty());
    }

    @Test
    void aSeedGivesTheSameImagesEveryTime() {
        var client = StippleClient.over(server.channel());
        var a = client.generate(request().build());
        var b = client.generate(request().build());
        assertArrayEquals(a.images().getFirst().getPng().toByteArray(), b.images().getFirst().getPng().toByteArray());
        var c = client.generate(request().setSeed(99).build());
        assertFalse(java.util.Arrays.equals(a.images().getFirst().getPng().toByteArray(), c.images().getFirst().getPng().toByteArray()));
    }

    @Test
    void anEmptyPromptIsAllowedAndDefaultsApply() {
        var output = StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setWidth(64).setHeight(64).setSteps(1)
                .setSeed(7).build());
        assertEquals(1, output.images().size());
        assertTrue(output.images().getFirst().getParameters().contains("Sampler: Euler, Schedule type: Normal, CFG scale: 8"));
    }

    @Test
    void withoutASeedARandomOneIsChosenAndReported() {
        var output = StippleClient.over(server.channel()).generate(request().clearSeed().build());
        long seed = output.result().getSeed();
        assertEquals(seed, output.images().getFirst().getSeed());
    }

    @Test
    void eachFamilyUsesItsNativeSizeByDefaultAndReportsTheFamily() {
        // the tiny models carry no recommended size in their metadata: the family's native size applies
        var sdxl = StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sdxl_tiny.safetensors")).setPrompt("a cat").setSteps(1).setSeed(3).build());
        assertEquals("sdxl", sdxl.result().getModelFamily());
        assertEquals(1024, sdxl.images().getFirst().getWidth());
        assertEquals(1024, sdxl.images().getFirst().getHeight());
        var sd15 = StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setPrompt("a cat").setSteps(1).setSeed(3).build());
        assertEquals("sd15", sd15.result().getModelFamily());
        assertEquals(512, sd15.images().getFirst().getWidth());
        assertEquals(512, sd15.images().getFirst().getHeight());
    }

    @Test
    void aSlowClientLosesPreviewsButNothingElse() throws Exception {
        // a client that takes one message at a time, slowly: the server's transport is seldom ready, so
        // previews wait in the single slot (none is made meanwhile) and are dropped, never queued
        var request = request().setWidth(64).setHeight(64).setSteps(30).setBatchSize(1)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(1).setFormat(ImageFormat.IMAGE_FORMAT_PNG)).build();
        List<GenerateEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        server.async().generate(request, new io.grpc.stub.ClientResponseObserver<GenerateRequest, GenerateEvent>() {
            private io.grpc.stub.ClientCallStreamObserver<GenerateRequest> call;

            @Override
            public void beforeStart(io.grpc.stub.ClientCallStreamObserver<GenerateRequest> requestStream) {
                call = requestStream;
                requestStream.disableAutoRequestWithInitial(1);
            }

            @Override
            public void onNext(GenerateEvent e) {
                events.add(e);
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    call.request(1);
                });
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        done.get(120, java.util.concurrent.TimeUnit.SECONDS);
        long progress = events.stream().filter(GenerateEvent::hasProgress).count();
        long previews = events.stream().filter(GenerateEvent::hasPreview).count();
        assertEquals(30, progress, "every progress event arrives");
        assertTrue(previews >= 1 && previews < 30, "previews dropped for the slow client: " + previews + " of 30");
        assertEquals(1, events.stream().filter(GenerateEvent::hasImage).count());
        assertTrue(events.getLast().hasResult());
    }
}
