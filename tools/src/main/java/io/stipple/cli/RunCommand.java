package io.stipple.cli;

import com.google.protobuf.ByteString;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a ComfyUI workflow (API format), embedded (no server needed) or on a server (--server HOST:PORT).",
            "Writes each SaveImage/PreviewImage image and SaveLatent latent as ComfyUI names them: PREFIX_00001_.png in --out."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW.json", description = "The workflow, in ComfyUI's API format (Workflow > Export (API)).")
    Path workflow;

    @Option(names = "--set", paramLabel = "NODE.INPUT=VALUE", description = "Change one input first, e.g. 3.seed=42 or 6.text=\"a cat\"; repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where outputs go (default: the working folder).")
    Path out;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up (and cancel the job) after this long.")
    Long timeout;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        WorkflowFile file = WorkflowFile.read(workflow, sets, !remote.remote());
        Logging.quiet();
        ComfyOutputNames names = new ComfyOutputNames(out);
        try (Connection connection = Connection.open(remote, serverOptions)) {
            var request = RunWorkflowRequest.newBuilder().setWorkflow(file.json())
                    .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0));
            file.files().forEach((name, bytes) -> request.putFiles(name, ByteString.copyFrom(bytes)));
            var client = timeout == null ? connection.client() : connection.client().withDeadline(Duration.ofSeconds(timeout));
            ProgressBar bar = ProgressBar.forTerminal();
            long started = System.nanoTime();
            Iterator<WorkflowEvent> events = client.runWorkflow(request.build());
            while (events.hasNext()) {
                WorkflowEvent e = events.next();
                switch (e.getEventCase()) {
                    case PROGRESS -> bar.update(e.getProgress().getStep(), e.getProgress().getTotalSteps(),
                            (System.nanoTime() - started) / 1_000_000);
                    case IMAGE -> {
                        Path f = names.next(e.getImage().getFilenamePrefix(), ".png", e.getImage().getNodeId());
                        AtomicFiles.write(f, e.getImage().getPng().toByteArray());
                        bar.finish();
                        System.out.println(f);
                    }
                    case LATENT -> {
                        Path f = names.next(e.getLatent().getFilenamePrefix(), ".latent", e.getLatent().getNodeId());
                        AtomicFiles.write(f, e.getLatent().getLatent().toByteArray());
                        System.out.println(f);
                    }
                    case RESULT -> {
                        bar.finish();
                        e.getResult().getWarningsList().forEach(w -> System.err.println("warning: " + w));
                        System.err.println(String.format(java.util.Locale.ROOT, "ran %d nodes of %s in %.1f s", e.getResult().getExecutedCount(),
                                workflow.getFileName(), e.getResult().getTotalMs() / 1000.0));
                    }
                    default -> {
                        // queued, executing, previews: nothing to show beyond the bar
                    }
                }
            }
            return 0;
        }
    }
}
