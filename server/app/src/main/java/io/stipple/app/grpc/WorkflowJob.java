package io.stipple.app.grpc;

import com.google.protobuf.ByteString;
import io.stipple.app.grpc.GenerateCommand.Previews;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobCancelledException;
import io.stipple.app.jobs.Scheduling;
import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.PngEncoder;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.pipeline.LatentFile;
import io.stipple.engine.workflow.WorkflowExecutor;
import io.stipple.engine.workflow.WorkflowGraph;
import io.stipple.engine.workflow.WorkflowListener;
import io.stipple.engine.workflow.WorkflowOutput;
import io.stipple.engine.workflow.WorkflowResult;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.NodeImage;
import io.stipple.proto.v1.NodeLatent;
import io.stipple.proto.v1.NodePreview;
import io.stipple.proto.v1.Preview;
import io.stipple.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One RunWorkflow call's work, run by the job queue: the checked graph through the executor, its events and outputs streamed. */
final class WorkflowJob extends Job {
    private final WorkflowGraph graph;
    private final String workflowJson;
    private final String uiWorkflowJson;
    private final long heldBytes;
    private final WorkflowExecutor executor;
    private final RepositoryWorkflowResources resources;
    private final WorkflowEvents events;
    private final Previews previews;
    private final CheckpointFormat latentFormat;

    /** @param uiWorkflowJson the UI-format file the graph was converted from, or null */
    WorkflowJob(WorkflowGraph graph, String workflowJson, String uiWorkflowJson, long heldBytes, WorkflowExecutor executor, RepositoryWorkflowResources resources,
            WorkflowEvents events, Previews previews, CheckpointFormat latentFormat, Scheduling scheduling) {
        super(Kind.WORKFLOW, scheduling);
        this.graph = graph;
        this.workflowJson = workflowJson;
        this.uiWorkflowJson = uiWorkflowJson;
        this.heldBytes = heldBytes;
        this.executor = executor;
        this.resources = resources;
        this.events = events;
        this.previews = previews;
        this.latentFormat = latentFormat;
    }

    @Override
    protected void positionChanged(int jobsAhead) {
        events.queued(jobsAhead, id());
    }

    @Override
    protected void endCall(Cancellation reason) {
        events.fail(new JobCancelledException(reason));
    }

    @Override
    public String outcome() {
        return events.outcome();
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            checkCancelled();
            List<String> executed = new ArrayList<>();
            WorkflowResult result = executor.run(graph, listener(executed));
            List<String> warnings = new ArrayList<>(resources.warnings());
            warnings.addAll(result.warnings());
            events.result(io.stipple.proto.v1.WorkflowResult.newBuilder().setJobId(id()).addAllWarnings(warnings).addAllExecuted(executed)
                    .setQueuedMs(millis(started - createdNanos())).setTotalMs(millis(System.nanoTime() - createdNanos())).build());
        } catch (Throwable t) {
            events.fail(t);
        } finally {
            resources.close();
        }
    }

    private WorkflowListener listener(List<String> executed) {
        return new WorkflowListener() {
            private int step;
            private int total;

            @Override
            public void executing(String nodeId, String classType) {
                checkCancelled();
                executed.add(nodeId);
                events.executing(nodeId, classType);
            }

            @Override
            public void progress(String nodeId, int step, int total) {
                checkCancelled();
                this.step = step;
                this.total = total;
                reportProgress(step, total);
                events.progress(nodeId, step, total);
            }

            @Override
            public boolean wantsPreview() {
                return previews.everyNSteps() > 0 && (step % previews.everyNSteps() == 0 || step == total) && events.wantsPreview();
            }

            @Override
            public int previewMaxSize() {
                return previews.maxSize();
            }

            @Override
            public void preview(String nodeId, int step, RgbImage preview) {
                byte[] data = previews.png() ? PngEncoder.encode(preview, Map.of()) : ImageCodec.encodeJpeg(preview, 0.85f);
                events.preview(NodePreview.newBuilder().setNodeId(nodeId).setPreview(Preview.newBuilder().setStep(step)
                        .setFormat(previews.png() ? ImageFormat.IMAGE_FORMAT_PNG : ImageFormat.IMAGE_FORMAT_JPEG)
                        .setData(ByteString.copyFrom(data)).setWidth(preview.width()).setHeight(preview.height())).build());
            }

            @Override
            public void output(WorkflowOutput output) {
                switch (output) {
                    case WorkflowOutput.Images images -> {
                        for (int i = 0; i < images.images().size(); i++) {
                            RgbImage img = images.images().get(i);
                            // ComfyUI's "prompt" (and "workflow") chunks: the image opens its graph when dropped into ComfyUI
                            byte[] png = PngEncoder.encode(img, uiWorkflowJson == null ? Map.of("prompt", workflowJson)
                                    : Map.of("prompt", workflowJson, "workflow", uiWorkflowJson));
                            events.image(NodeImage.newBuilder().setNodeId(images.nodeId()).setIndex(i).setPng(ByteString.copyFrom(png))
                                    .setWidth(img.width()).setHeight(img.height()).setFilenamePrefix(images.filenamePrefix())
                                    .setTemporary(images.temporary()).build());
                        }
                    }
                    case WorkflowOutput.Latent latent -> events.latent(NodeLatent.newBuilder().setNodeId(latent.nodeId())
                            .setLatent(ByteString.copyFrom(latentBytes(latent.latent()))).setFilenamePrefix(latent.filenamePrefix()).build());
                }
            }
        };
    }

    private byte[] latentBytes(Tensor latent) {
        try {
            Path tmp = Files.createTempFile("stipple-out-", ".latent");
            try {
                LatentFile.write(latentFormat, tmp, latent);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }
}
