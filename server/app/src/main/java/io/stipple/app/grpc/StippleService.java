package io.stipple.app.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.jobs.JobSnapshot;
import io.stipple.app.metrics.ServerMetrics;
import io.stipple.engine.pipeline.QuotedValue;
import io.stipple.proto.v1.CancelJobRequest;
import io.stipple.proto.v1.CancelJobResponse;
import io.stipple.proto.v1.JobInfo;
import io.stipple.proto.v1.JobKind;
import io.stipple.proto.v1.JobState;
import io.stipple.proto.v1.ListJobsRequest;
import io.stipple.proto.v1.ListJobsResponse;
import io.stipple.proto.v1.UnloadModelsRequest;
import io.stipple.proto.v1.UnloadModelsResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.stipple.app.models.FileHashes;
import io.stipple.app.models.ModelCards;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ListModelsResponse;
import io.stipple.proto.v1.ListSamplersRequest;
import io.stipple.proto.v1.ListSamplersResponse;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import io.stipple.proto.v1.SamplerInfo;
import io.stipple.proto.v1.SchedulerInfo;
import io.stipple.proto.v1.StippleGrpc;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stipple.v1.Stipple service. Every method ends with onCompleted or with the status the
 * {@link StatusMapper} gives; nothing escapes. Generate sets its cancel handler before any work, so
 * a client that goes away (or whose deadline passes) stops its job at the next sampler step.
 */
public final class StippleService extends StippleGrpc.StippleImplBase {
    private final PluginRegistry plugins;
    private final ModelRepository models;
    private final JobQueue queue;
    private final StatusMapper statuses;
    private final GenerateRequestValidator generateValidator;
    private final MergeService merges;
    private final ModelAssembler assembler;
    private final FileHashes hashes;
    private final ModelCards cards;
    private final ResidencyService residency;
    private final String version;
    private final ServerMetrics metrics;
    private final WorkflowService workflows;

    public StippleService(PluginRegistry plugins, ModelRepository models, JobQueue queue, StatusMapper statuses,
            ModelAssemblerFactory assemblers, FileHashes hashes, MergeService merges, ServerMetrics metrics, String version) {
        this.plugins = plugins;
        this.models = models;
        this.queue = queue;
        this.statuses = statuses;
        this.merges = merges;
        this.assembler = assemblers.create();
        this.hashes = hashes;
        this.version = version;
        this.metrics = metrics;
        this.cards = new ModelCards(assemblers.opener());
        this.residency = new ResidencyService(models, assemblers.cache(), assembler, queue, statuses, cards);
        MergeRecipeValidator recipes = new MergeRecipeValidator(models);
        this.generateValidator = new GenerateRequestValidator(plugins, models, recipes,
                new LatentReader(assemblers.opener()), cards);
        this.workflows = new WorkflowService(models, assemblers.cache(), plugins, queue, statuses, this::latentWriter);
    }

    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateEvent> observer) {
        var call = (ServerCallStreamObserver<GenerateEvent>) observer;
        Context context = Context.current();
        AtomicReference<Job> job = new AtomicReference<>();
        call.setOnCancelHandler(() -> {
            Job j = job.get();
            if (j != null) {
                queue.cancel(j, deadlinePassed(context) ? Cancellation.DEADLINE : Cancellation.CLIENT);
            }
        });
        GenerateEvents events = new GenerateEvents(call, statuses);
        try {
            GenerateCommand command = generateValidator.validate(request);
            GenerateJob j = new GenerateJob(command, events, assembler, hashes, latentWriter(), metrics, version);
            job.set(j);
            if (call.isCancelled()) {
                j.cancel(Cancellation.CLIENT);
            }
            queue.submit(j); // sends the first queued event, with the job's id

        } catch (Throwable t) {
            events.fail(t);
        }
    }

    @Override
    public void merge(MergeRequest request, StreamObserver<MergeEvent> observer) {
        merges.merge(request, (ServerCallStreamObserver<MergeEvent>) observer);
    }

    @Override
    public void runWorkflow(RunWorkflowRequest request, StreamObserver<WorkflowEvent> observer) {
        workflows.run(request, (ServerCallStreamObserver<WorkflowEvent>) observer);
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
        try {
            observer.onNext(residency.list());
            observer.onCompleted();
        } catch (Throwable t) {
            observer.onError(statuses.status(t).asRuntimeException());
        }
    }

    @Override
    public void listSamplers(ListSamplersRequest request, StreamObserver<ListSamplersResponse> observer) {
        try {
            var response = ListSamplersResponse.newBuilder();
            plugins.samplers().forEach(s -> response.addSamplers(SamplerInfo.newBuilder().setName(s.name()).setPluginId(s.pluginId())
                    .addAllIgnoredPluginIds(plugins.ignoredPluginIds("sampler", s.name()))));
            plugins.schedulers().forEach(s -> response.addSchedulers(SchedulerInfo.newBuilder().setName(s.name()).setPluginId(s.pluginId())
                    .addAllIgnoredPluginIds(plugins.ignoredPluginIds("scheduler", s.name()))));
            observer.onNext(response.build());
            observer.onCompleted();
        } catch (Throwable t) {
            observer.onError(statuses.status(t).asRuntimeException());
        }
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> observer) {
        try {
            var response = ListJobsResponse.newBuilder();
            for (JobSnapshot j : queue.jobs()) {
                response.addJobs(JobInfo.newBuilder().setJobId(j.id())
                        .setKind(kind(j.kind()))
                        .setState(j.running() ? JobState.JOB_STATE_RUNNING : JobState.JOB_STATE_WAITING)
                        .setPosition(j.position()).setPriority(j.scheduling().priority()).setClientId(j.scheduling().clientId())
                        .setDone(j.done()).setTotal(j.total()).setAgeMs(j.ageMillis()));
            }
            observer.onNext(response.build());
            observer.onCompleted();
        } catch (Throwable t) {
            observer.onError(statuses.status(t).asRuntimeException());
        }
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> observer) {
        try {
            Boolean wasRunning = queue.cancel(request.getJobId(), Cancellation.CANCEL_JOB).orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("job_id: " + QuotedValue.of(request.getJobId()) + " (expected: the id of a job waiting or running;"
                            + " ListJobs lists them)").asRuntimeException());
            observer.onNext(CancelJobResponse.newBuilder()
                    .setState(wasRunning ? JobState.JOB_STATE_RUNNING : JobState.JOB_STATE_WAITING).build());
            observer.onCompleted();
        } catch (Throwable t) {
            observer.onError(statuses.status(t).asRuntimeException());
        }
    }

    private CheckpointFormat latentWriter() {
        return plugins.formats().stream().filter(f -> f.canWrite() && f.extensions().contains(".safetensors")).findFirst()
                .orElseThrow(() -> Status.FAILED_PRECONDITION.withDescription("no safetensors writer plugin is installed").asRuntimeException());
    }

    @Override
    public void unloadModels(UnloadModelsRequest request, StreamObserver<UnloadModelsResponse> observer) {
        try {
            residency.unload(request, observer);
        } catch (Throwable t) {
            observer.onError(statuses.status(t).asRuntimeException());
        }
    }

    /** Loads these checkpoints at start; health says NOT_SERVING until they are (see {@link ResidencyService#preload}). */
    public void preload(List<String> checkpoints, HealthStatusManager health) {
        residency.preload(checkpoints, health);
    }

    static JobKind kind(Job.Kind kind) {
        return switch (kind) {
            case GENERATE -> JobKind.JOB_KIND_GENERATE;
            case MERGE -> JobKind.JOB_KIND_MERGE;
            case MODELS -> JobKind.JOB_KIND_MODELS;
            case WORKFLOW -> JobKind.JOB_KIND_WORKFLOW;
        };
    }

    static boolean deadlinePassed(Context context) {
        return context.getDeadline() != null && context.getDeadline().isExpired();
    }
}
