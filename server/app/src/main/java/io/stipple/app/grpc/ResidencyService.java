package io.stipple.app.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.stipple.app.grpc.GenerateCommand.ModelChoice;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelCards;
import io.stipple.app.models.ModelFile;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.engine.checkpoint.ModelCard;
import io.stipple.proto.v1.ListModelsResponse;
import io.stipple.proto.v1.ModelInfo;
import io.stipple.proto.v1.ResidentModel;
import io.stipple.proto.v1.StippleGrpc;
import io.stipple.proto.v1.UnloadModelsRequest;
import io.stipple.proto.v1.UnloadModelsResponse;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which models are on disk and which are loaded: ListModels, UnloadModels and --preload. Loading and
 * unloading run as {@link ModelsJob}s on the job worker.
 */
final class ResidencyService {
    private static final System.Logger LOG = System.getLogger(ResidencyService.class.getName());

    private final ModelRepository models;
    private final ModelCache cache;
    private final ModelAssembler assembler;
    private final JobQueue queue;
    private final StatusMapper statuses;
    private final ModelCards cards;

    ResidencyService(ModelRepository models, ModelCache cache, ModelAssembler assembler, JobQueue queue, StatusMapper statuses,
            ModelCards cards) {
        this.models = models;
        this.cache = cache;
        this.assembler = assembler;
        this.queue = queue;
        this.statuses = statuses;
        this.cards = cards;
    }

    ListModelsResponse list() {
        List<ResidentModel> resident = cache.residents().stream().map(this::resident).toList();
        Set<String> loaded = new HashSet<>();
        resident.forEach(r -> loaded.add(r.getCheckpoint()));
        return ListModelsResponse.newBuilder()
                .addAllCheckpoints(infos(models.list(ModelKind.CHECKPOINT), loaded))
                .addAllLoras(infos(models.list(ModelKind.LORA), Set.of()))
                .addAllVaes(infos(models.list(ModelKind.VAE), Set.of()))
                .addAllResident(resident)
                .setBackend(cache.ops().name())
                .addAllEmbeddings(cache.embeddings().names())
                .build();
    }

    /** Unloads on the worker, after the running job; the answer is sent from there. */
    void unload(UnloadModelsRequest request, StreamObserver<UnloadModelsResponse> observer) {
        List<Path> paths = null;
        if (request.getCheckpointsCount() > 0) {
            paths = new ArrayList<>();
            for (int i = 0; i < request.getCheckpointsCount(); i++) {
                paths.add(models.resolve(ModelKind.CHECKPOINT, request.getCheckpoints(i), "checkpoints[" + i + "]"));
            }
        }
        List<Path> chosen = paths;
        queue.submit(new ModelsJob(new ModelsJob.Work() {
            @Override
            public void run() {
                assembler.dropOverlay();
                var unloaded = cache.unload(chosen).stream().map(ResidencyService.this::resident).toList();
                observer.onNext(UnloadModelsResponse.newBuilder().addAllUnloaded(unloaded)
                        .setFreedBytes(unloaded.stream().mapToLong(ResidentModel::getMemoryBytes).sum()).build());
                observer.onCompleted();
            }

            @Override
            public void failed(Throwable t) {
                observer.onError(statuses.status(t).asRuntimeException());
            }
        }));
    }

    /**
     * Loads each named checkpoint on the worker; health says NOT_SERVING until all are loaded, and
     * stays so (with the reason in the log) if one cannot be.
     *
     * @throws io.stipple.engine.pipeline.InvalidRequestException for a name that resolves to no file
     */
    void preload(List<String> names, HealthStatusManager health) {
        if (names.isEmpty()) {
            return;
        }
        List<ModelChoice> choices = new ArrayList<>();
        for (String name : names) {
            choices.add(new ModelChoice(name, models.resolve(ModelKind.CHECKPOINT, name, "--preload"), null, List.of(), null, null,
                    null));
        }
        health.setStatus("", ServingStatus.NOT_SERVING);
        health.setStatus(StippleGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        AtomicInteger left = new AtomicInteger(choices.size());
        for (ModelChoice choice : choices) {
            queue.submit(new ModelsJob(new ModelsJob.Work() {
                @Override
                public void run() throws Exception {
                    assembler.assemble(choice);
                    LOG.log(Level.INFO, "preloaded " + choice.checkpointName());
                    if (left.decrementAndGet() == 0) {
                        health.setStatus("", ServingStatus.SERVING);
                        health.setStatus(StippleGrpc.SERVICE_NAME, ServingStatus.SERVING);
                    }
                }

                @Override
                public void failed(Throwable t) {
                    LOG.log(Level.ERROR, "--preload " + choice.checkpointName() + " failed, health stays NOT_SERVING: "
                            + statuses.status(t).getDescription());
                }
            }));
        }
    }

    private ResidentModel resident(ModelCache.Resident r) {
        return ResidentModel.newBuilder().setCheckpoint(name(ModelKind.CHECKPOINT, r.key().checkpoint()))
                .setVae(r.key().vae() == null ? "" : name(ModelKind.VAE, r.key().vae())).setMerged(r.key().mergeRecipe() != null)
                .setFamily(r.family()).setMemoryBytes(r.heapBytes()).setMappedBytes(r.mappedBytes()).setDevice(r.device()).build();
    }

    /** The name requests use for a file: relative to its folder, or the path itself outside it (the embedded CLI). */
    private String name(ModelKind kind, Path file) {
        Path folder = models.folder(kind);
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(folder) ? folder.relativize(f).toString().replace('\\', '/') : f.toString();
    }

    private List<ModelInfo> infos(List<ModelFile> files, Set<String> loaded) {
        return files.stream().map(f -> {
            ModelCard card = cards.read(f.path());
            return ModelInfo.newBuilder().setName(f.name()).setSizeBytes(Math.max(0, f.sizeBytes())).setFormat(f.format())
                    .setTitle(card.title().orElse("")).setDescription(card.description().orElse("")).setResident(loaded.contains(f.name()))
                    .build();
        }).toList();
    }
}
