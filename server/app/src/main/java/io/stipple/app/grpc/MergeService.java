package io.stipple.app.grpc;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.app.grpc.GenerateCommand.MergePlan;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobCancelledException;
import io.stipple.app.jobs.Scheduling;
import io.stipple.proto.v1.Queued;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.engine.merge.CheckpointMerger;
import io.stipple.engine.merge.MergeCancelledException;
import io.stipple.engine.merge.MergeControl;
import io.stipple.engine.merge.MergeResult;
import io.stipple.engine.merge.MergeTarget;
import io.stipple.engine.merge.OutputPrecision;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeProgress;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.TensorType;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Merge RPC: validates the request, queues the merge behind generations (it reads whole
 * checkpoints), streams progress tensor by tensor, and answers with the file's name, size and
 * SHA-256. The output is written under a temporary name and renamed when complete; a cancelled or
 * failed merge leaves nothing. A cancel that arrives after the rename changes nothing: the file is
 * complete, and the client finds it with ListModels (or ALREADY_EXISTS when it asks again).
 */
public final class MergeService {
    private final ModelRepository models;
    private final ModelCache cache;
    private final JobQueue queue;
    private final StatusMapper statuses;
    private final MergeRecipeValidator recipes;

    public MergeService(ModelRepository models, ModelCache cache, JobQueue queue, StatusMapper statuses) {
        this.models = models;
        this.cache = cache;
        this.queue = queue;
        this.statuses = statuses;
        this.recipes = new MergeRecipeValidator(models);
    }

    /** Deletes what merges killed with the process left in the checkpoints folder. */
    public void cleanUp() throws IOException {
        Path folder = models.folder(ModelKind.CHECKPOINT);
        if (Files.isDirectory(folder)) {
            CheckpointMerger.deleteStaleTemporaryFiles(folder);
        }
    }

    void merge(MergeRequest request, ServerCallStreamObserver<MergeEvent> call) {
        Context context = Context.current();
        AtomicReference<Job> job = new AtomicReference<>();
        call.setOnCancelHandler(() -> {
            Job j = job.get();
            if (j != null) {
                queue.cancel(j, StippleService.deadlinePassed(context) ? Cancellation.DEADLINE : Cancellation.CLIENT);
            }
        });
        try {
            Path a = models.resolve(ModelKind.CHECKPOINT, request.getModelA(), "model_a");
            if (!request.hasRecipe()) {
                throw new InvalidRequestException("recipe", "missing (expected: a merge recipe with model_b)");
            }
            MergePlan plan = recipes.forMerge(request.getRecipe(), "recipe");
            Path out = models.output(ModelKind.CHECKPOINT, request.getOutputName(), ".safetensors", "output_name");
            if (!request.getOverwrite() && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputExistsException("output_name", request.getOutputName());
            }
            models.requireReplaceable(ModelKind.CHECKPOINT, out, request.getOutputName(), "output_name");
            if (out.equals(a) || out.equals(plan.modelB()) || out.equals(plan.modelC())) {
                throw new InvalidRequestException("output_name", request.getOutputName() + " is one of the merge's inputs (expected: a new file)");
            }
            OutputPrecision precision = precision(request.getOutputDtype());
            MergeJob j = new MergeJob(a, plan, out, request.getOutputName(), request.getOverwrite(), precision,
                    SchedulingFields.of(request.hasScheduling(), request.getScheduling()), call);
            job.set(j);
            queue.submit(j);
        } catch (Throwable t) {
            call.onError(statuses.status(t).asRuntimeException());
        }
    }

    private static OutputPrecision precision(TensorType t) {
        return switch (t) {
            case TENSOR_TYPE_UNSPECIFIED -> OutputPrecision.KEEP;
            case TENSOR_TYPE_F32 -> OutputPrecision.F32;
            case TENSOR_TYPE_F16 -> OutputPrecision.F16;
            case TENSOR_TYPE_BF16 -> OutputPrecision.BF16;
            case UNRECOGNIZED -> throw new InvalidRequestException("output_dtype", t + " (expected: F32, F16 or BF16)");
        };
    }

    private final class MergeJob extends Job {
        private final Path a;
        private final MergePlan plan;
        private final Path out;
        private final String outputName;
        private final boolean overwrite;
        private final OutputPrecision precision;
        private final ServerCallStreamObserver<MergeEvent> call;

        MergeJob(Path a, MergePlan plan, Path out, String outputName, boolean overwrite, OutputPrecision precision,
                Scheduling scheduling, ServerCallStreamObserver<MergeEvent> call) {
            super(Kind.MERGE, scheduling);
            this.a = a;
            this.plan = plan;
            this.out = out;
            this.outputName = outputName;
            this.overwrite = overwrite;
            this.precision = precision;
            this.call = call;
        }

        private boolean ended;
        private volatile String outcome = "UNKNOWN";

        @Override
        public String outcome() {
            return outcome;
        }

        @Override
        protected void endCall(Cancellation reason) {
            fail(new JobCancelledException(reason));
        }

        @Override
        protected void positionChanged(int jobsAhead) {
            send(MergeEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(jobsAhead).setJobId(id())).build());
        }

        @Override
        public void run() {
            List<TensorIndex> files = new ArrayList<>();
            try {
                var opener = cache.opener();
                TensorIndex ia = track(files, opener.open(a));
                TensorIndex ib = track(files, opener.open(plan.modelB()));
                TensorIndex ic = plan.modelC() == null ? null : track(files, opener.open(plan.modelC()));
                Files.createDirectories(out.getParent());
                MergeTarget target = new MergeTarget(out, opener.writerFor(out.getFileName().toString()), overwrite, precision);
                MergeControl control = new MergeControl(this::progress, () -> cancellation() != null || call.isCancelled());
                // the output may be a cached checkpoint: no request may see its old weights once it is replaced
                cache.evict(out);
                CheckpointMerger merger = new CheckpointMerger(cache.ops());
                MergeResult result = ic == null ? merger.merge(Recipes.of(plan), ia, ib, target, control)
                        : merger.merge(Recipes.of(plan), ia, ib, ic, target, control);
                cache.evict(out);
                // renamed into place: from here the outcome is the result, even if a cancel arrived meanwhile
                send(MergeEvent.newBuilder().setResult(io.stipple.proto.v1.MergeResult.newBuilder()
                        .setName(models.folder(ModelKind.CHECKPOINT).relativize(result.file().toAbsolutePath()).toString().replace('\\', '/'))
                        .setSizeBytes(result.sizeBytes()).setSha256(result.sha256()).addAllWarnings(result.warnings()).setJobId(id())).build());
                synchronized (call) {
                    outcome = call.isCancelled() ? "CANCELLED" : "OK";
                    if (!ended && !call.isCancelled()) {
                        ended = true;
                        call.onCompleted();
                    }
                }
            } catch (MergeCancelledException e) {
                Cancellation reason = cancellation();
                fail(reason != null ? new JobCancelledException(reason) : e);
            } catch (FileAlreadyExistsException e) {
                // the hard link that commits without replacing found a file that appeared while merging
                fail(new OutputExistsException("output_name", outputName));
            } catch (Throwable t) {
                fail(t);
            } finally {
                files.forEach(TensorIndex::close);
            }
        }

        private void progress(int done, int total) {
            reportProgress(done, total);
            if (call.isReady() || done == total) {
                send(MergeEvent.newBuilder().setProgress(MergeProgress.newBuilder().setTensorsDone(done).setTensorsTotal(total)).build());
            }
        }

        private void send(MergeEvent event) {
            synchronized (call) {
                if (!ended && !call.isCancelled()) {
                    call.onNext(event);
                }
            }
        }

        private void fail(Throwable t) {
            synchronized (call) {
                if (!ended) {
                    outcome = call.isCancelled() ? "CANCELLED" : statuses.status(t).getCode().name();
                }
                if (!ended && !call.isCancelled()) {
                    ended = true;
                    call.onError(statuses.status(t).asRuntimeException());
                }
            }
        }

        private static TensorIndex track(List<TensorIndex> files, TensorIndex index) {
            files.add(index);
            return index;
        }
    }
}
