#!/usr/bin/env python3
"""A Python service calling Stipple: lists the models, generates with a preview at every step (each
written to a file), cancels one generation by its stream and another with CancelJob, and sends a
bearer token when given one.

    protoc -I proto/src/main/proto --python_out=STUBS --grpc_python_out=STUBS \
        --plugin=protoc-gen-grpc_python=$(which grpc_python_plugin) stipple/v1/stipple.proto
    stipple_example.py --target 127.0.0.1:7860 --stubs STUBS [--token-file FILE] [--out DIR]
        [--model stipple-demo-shapes.safetensors] [--prompt TEXT]

Prints a line per step of what it did; exits non-zero when a call fails unexpectedly.
"""
import argparse
import os
import sys
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--target", default="127.0.0.1:7860")
parser.add_argument("--stubs", required=True)
parser.add_argument("--token-file")
parser.add_argument("--out", default="out-python")
parser.add_argument("--model", default="stipple-demo-shapes.safetensors")
parser.add_argument("--prompt", default="a red circle on a blue background")
args = parser.parse_args()
sys.path.insert(0, args.stubs)

import grpc  # noqa: E402
from stipple.v1 import stipple_pb2 as pb  # noqa: E402
from stipple.v1 import stipple_pb2_grpc as rpc  # noqa: E402

metadata = []
if args.token_file:
    with open(args.token_file) as f:
        metadata.append(("authorization", "Bearer " + f.readline().strip()))
channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)])
stub = rpc.StippleStub(channel)
os.makedirs(args.out, exist_ok=True)


def request(steps):
    return pb.GenerateRequest(model=pb.ModelSpec(checkpoint=args.model), prompt=args.prompt, negative_prompt="",
                              steps=steps, cfg=6, seed=42, sampler="euler", scheduler="normal",
                              preview=pb.PreviewOptions(every_n_steps=1, format=pb.IMAGE_FORMAT_PNG))


def generate(name, req, on_event=lambda event, call: None):
    """Streams a generation; previews and images go to files. Returns (status name, details, files)."""
    call = stub.Generate(req, metadata=metadata, timeout=300)
    files = []
    try:
        for event in call:
            kind = event.WhichOneof("event")
            if kind == "preview":
                files.append(os.path.join(args.out, "%s-preview-%02d.png" % (name, event.preview.step)))
                with open(files[-1], "wb") as f:
                    f.write(event.preview.data)
            elif kind == "image":
                files.append(os.path.join(args.out, "%s-%d.png" % (name, event.image.index)))
                with open(files[-1], "wb") as f:
                    f.write(event.image.png)
            on_event(event, call)
        return "OK", "", files
    except grpc.RpcError as e:
        return e.code().name, e.details(), files


models = stub.ListModels(pb.ListModelsRequest(), metadata=metadata, timeout=30)
print("models: " + ", ".join(m.name for m in models.checkpoints))

status, details, files = generate("picture", request(8))
print("generated: %s, %d files (previews and the image) in %s" % (status, len(files), args.out))
if status != "OK":
    sys.exit("generation failed: " + details)


def cancel_at_step_two(event, call):
    if event.WhichOneof("event") == "progress" and event.progress.step == 2:
        call.cancel()


status, details, _ = generate("cancelled", request(200), cancel_at_step_two)
print("cancelled by the stream: " + status)

job = {}


def cancel_job_at_step_two(event, call):
    kind = event.WhichOneof("event")
    if kind == "queued":
        job.setdefault("id", event.queued.job_id)
    elif kind == "progress" and event.progress.step == 2 and "sent" not in job:
        job["sent"] = True
        # from another caller, as a service that did not start the stream would
        threading.Thread(target=lambda: print("CancelJob %s: was %s" % (job["id"], pb.JobState.Name(
            stub.CancelJob(pb.CancelJobRequest(job_id=job["id"]), metadata=metadata, timeout=30).state)))).start()


status, details, _ = generate("cancel-job", request(200), cancel_job_at_step_two)
print("cancelled by CancelJob: %s %s" % (status, details))
