package io.stipple.app.grpc;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.app.grpc.GenerateCommand.Previews;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.pipeline.InvalidRequestException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.engine.workflow.GraphParser;
import io.stipple.engine.workflow.UiFormatConverter;
import io.stipple.engine.workflow.NodeRegistry;
import io.stipple.engine.workflow.WorkflowExecutor;
import io.stipple.engine.workflow.WorkflowGraph;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The RunWorkflow RPC: parses and checks the whole graph on the caller's thread (a graph that
 * cannot run is refused before it is queued), then queues it like Generate.
 */
final class WorkflowService {
    private final ModelRepository models;
    private final ModelCache cache;
    private final PluginRegistry plugins;
    private final JobQueue queue;
    private final StatusMapper statuses;
    private final Supplier<CheckpointFormat> latentWriter;
    private final NodeRegistry nodes = NodeRegistry.standard();

    WorkflowService(ModelRepository models, ModelCache cache, PluginRegistry plugins, JobQueue queue, StatusMapper statuses,
            Supplier<CheckpointFormat> latentWriter) {
        this.models = models;
        this.cache = cache;
        this.plugins = plugins;
        this.queue = queue;
        this.statuses = statuses;
        this.latentWriter = latentWriter;
    }

    void run(RunWorkflowRequest request, ServerCallStreamObserver<WorkflowEvent> call) {
        Context context = Context.current();
        AtomicReference<Job> job = new AtomicReference<>();
        call.setOnCancelHandler(() -> {
            Job j = job.get();
            if (j != null) {
                queue.cancel(j, StippleService.deadlinePassed(context) ? Cancellation.DEADLINE : Cancellation.CLIENT);
            }
        });
        WorkflowEvents events = new WorkflowEvents(call, statuses);
        try {
            if (request.getWorkflow().isBlank()) {
                throw new InvalidRequestException("workflow", "empty (expected: a ComfyUI workflow in API format, as JSON text)");
            }
            // the text must be JSON before the UI-format check can look at it
            GraphParser.parse(request.getWorkflow(), nodes);
            Map<String, byte[]> files = new HashMap<>();
            long held = request.getWorkflow().length();
            for (var e : request.getFilesMap().entrySet()) {
                files.put(e.getKey(), e.getValue().toByteArray());
                held += e.getValue().size();
            }
            // a UI-format file is converted; its images then carry both graphs, as ComfyUI's do
            String prompt = request.getWorkflow();
            String uiWorkflow = null;
            if (JsonParser.parseString(prompt) instanceof JsonObject o && UiFormatConverter.isUiFormat(o)) {
                uiWorkflow = prompt;
                prompt = new UiFormatConverter(nodes).toApi(o).toString();
            }
            WorkflowGraph graph = GraphParser.parse(prompt);
            var resources = new RepositoryWorkflowResources(models, cache, plugins, files);
            WorkflowExecutor executor = new WorkflowExecutor(nodes, resources);
            executor.validate(graph);
            WorkflowLimits.check(graph);
            WorkflowJob j = new WorkflowJob(graph, prompt, uiWorkflow, held, executor, resources, events, previews(request),
                    latentWriter.get(), SchedulingFields.of(request.hasScheduling(), request.getScheduling()));
            job.set(j);
            if (call.isCancelled()) {
                j.cancel(Cancellation.CLIENT);
            }
            queue.submit(j);
        } catch (Throwable t) {
            events.fail(t);
        }
    }

    private static Previews previews(RunWorkflowRequest r) {
        var p = r.getPreview();
        int every = p.hasEveryNSteps() ? GenerateRequestValidator.range("preview.every_n_steps", p.getEveryNSteps(), 0, 10000) : 5;
        int max = p.hasMaxSize() ? GenerateRequestValidator.range("preview.max_size", p.getMaxSize(), 8, 1024) : 256;
        return new Previews(every, p.getFormat() == ImageFormat.IMAGE_FORMAT_PNG, max);
    }
}
