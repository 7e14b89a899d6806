#!/usr/bin/env python3
"""A hostile but realistic client: the inputs that once broke the server, sent over the network.

Run by HostileClientIT against the real server (tools/stipple serve) on loopback:
    hostile_client_test.py --target 127.0.0.1:PORT --stubs DIR --models DIR --outside DIR --pid PID
Each case checks the status and the message, then that the next request is served. The last case
sends SIGTERM to the server while a job runs and a second one waits. Prints a line per check and
"N failure(s)"; exits non-zero when any check failed.
"""
import argparse
import os
import signal
import struct
import sys
import threading
import time
import zlib

parser = argparse.ArgumentParser()
for flag in ("--target", "--stubs", "--models", "--outside", "--pid"):
    parser.add_argument(flag, required=True)
args = parser.parse_args()
sys.path.insert(0, args.stubs)

import grpc  # noqa: E402
from stipple.v1 import stipple_pb2 as pb  # noqa: E402
from stipple.v1 import stipple_pb2_grpc as rpc  # noqa: E402

MAX = 64 * 1024 * 1024
channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", MAX),
                                                      ("grpc.max_send_message_length", MAX)])
stub = rpc.StippleStub(channel)
failures = []
MODEL = "sd15_tiny.safetensors"


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)


def request(**fields):
    base = dict(model=pb.ModelSpec(checkpoint=MODEL), prompt="a cat", width=64, height=64, steps=1, seed=1)
    base.update(fields)
    return pb.GenerateRequest(**base)


def serves_next():
    images = [e for e in stub.Generate(request(), timeout=120) if e.WhichOneof("event") == "image"]
    return len(images) == 1


def expect(call, code, text, what):
    try:
        call()
        check(False, what + " (no error)")
        return
    except grpc.RpcError as e:
        details = e.details() or ""
        ok = e.code() == code and text in details and len(details) < 1000 and args.models not in details
        check(ok, "%s: %s %s" % (what, e.code().name, details[:200]))
    check(serves_next(), what + ": the next request is served")


def generate(req):
    return lambda: [e for e in stub.Generate(req, timeout=60)]


def merge(output, overwrite=False):
    req = pb.MergeRequest(model_a=MODEL, recipe=pb.MergeRecipe(model_b=MODEL), output_name=output, overwrite=overwrite)
    return lambda: [e for e in stub.Merge(req, timeout=60)]


def png(width, height):
    raw = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    return png_chunks(width, height, zlib.compress(raw))


def png_chunks(width, height, idat):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


INVALID = grpc.StatusCode.INVALID_ARGUMENT

# ---- names ----------------------------------------------------------------------------
expect(generate(request(model=pb.ModelSpec(checkpoint="a\x00b.safetensors"))), INVALID,
       "model.checkpoint: a\\u0000b.safetensors contains the control character U+0000", "a NUL in the checkpoint name")
expect(generate(request(model=pb.ModelSpec(checkpoint=MODEL, loras=[pb.LoraSpec(name="l\x00.safetensors")]))), INVALID,
       "model.loras[0].name: l\\u0000.safetensors contains the control character", "a NUL in a LoRA name")
expect(generate(request(model=pb.ModelSpec(checkpoint=MODEL, vae="v\x00.safetensors"))), INVALID,
       "model.vae: v\\u0000.safetensors contains the control character", "a NUL in a VAE name")
expect(merge("o\x00.safetensors"), INVALID, "output_name: o\\u0000.safetensors contains the control character",
       "a NUL in a Merge output name")
expect(generate(request(model=pb.ModelSpec(checkpoint="x" * 70000))), INVALID, "… (70000 characters)",
       "a 70,000-character name is quoted as a bounded prefix")
expect(merge("m" * 300 + ".safetensors"), INVALID, "of 312 bytes (expected: at most 255 bytes",
       "a 300-character Merge output name")

# ---- the models folder's links ---------------------------------------------------------
expect(merge("linkdir/evil.safetensors"), INVALID, "that goes through no symbolic link",
       "Merge through a symlinked folder")
check(os.listdir(args.outside) == ["passwd"], "nothing was written outside the models folder: %s" % os.listdir(args.outside))
listed = [m.name for m in stub.ListModels(pb.ListModelsRequest(), timeout=30).checkpoints]
check("passwd.safetensors" not in listed and MODEL in listed, "ListModels hides a link to a non-model file: %s" % listed)
expect(generate(request(model=pb.ModelSpec(checkpoint="passwd.safetensors"))), INVALID,
       "is a link to a file without a model file ending", "Generate through a link to a non-model file")

# ---- values ----------------------------------------------------------------------------
expect(generate(request(clip_skip=-2147483648)), INVALID, "clip_skip: -2147483648 (expected: -1 to -48",
       "the smallest clip_skip")
loras = [pb.LoraSpec(name="lora_a.safetensors", strength_model=0.01)] * 33
expect(generate(request(model=pb.ModelSpec(checkpoint=MODEL, loras=loras))), INVALID,
       "model.loras: 33 LoRAs (expected: at most 32)", "33 LoRAs")

# ---- images and latents ----------------------------------------------------------------
tiny = png(1, 1)
expect(generate(request(denoise=0.5, init=pb.InitSource(image=tiny))), INVALID,
       "init.image: image of 1x1 pixels is too small", "a 1x1 PNG with a size")
no_size = request(denoise=0.5, init=pb.InitSource(image=tiny))
no_size.ClearField("width")
no_size.ClearField("height")
expect(generate(no_size), INVALID, "init.image: image of 1x1 pixels is too small", "a 1x1 PNG without a size")
bomb = png_chunks(8192, 8192, zlib.compress(b"\x00" * 1000))
started = time.monotonic()
expect(generate(request(denoise=0.5, init=pb.InitSource(image=bomb))), INVALID,
       "image of 8192x8192 pixels is too large", "a small PNG claiming 8192x8192 (%d bytes)" % len(bomb))
check(time.monotonic() - started < 30, "refused from its header, without decoding")
result = [e.result for e in stub.Generate(request(output=pb.OutputOptions(include_latent=True)), timeout=60)
          if e.WhichOneof("event") == "result"][0]
latent = bytearray(result.latent)
header_len = struct.unpack("<Q", latent[:8])[0]
header = latent[8:8 + header_len].decode()
start = header.index('"latent_tensor"')
offset = int(header[header.index('"data_offsets":[', start) + 16:].split(",")[0])
latent[8 + header_len + offset:8 + header_len + offset + 4] = struct.pack("<f", float("nan"))
nan_latent = request(denoise=0.5, init=pb.InitSource(latent=bytes(latent)))
nan_latent.ClearField("width")
nan_latent.ClearField("height")
expect(generate(nan_latent), INVALID, "init.latent: latent_tensor holds NaN at element 0", "a latent holding NaN")

# ---- prompts ---------------------------------------------------------------------------
expect(generate(request(prompt="a (cat:nan)")), INVALID, "prompt: the weight NaN of cat", "a NaN prompt weight")
expect(generate(request(prompt="(cat:inf)")), INVALID, "prompt: the weight Infinity of cat", "an infinite prompt weight")
expect(generate(request(negative_prompt="(cat:1e308)")), INVALID, "negative_prompt: the weight 1.0E308 of cat",
       "a huge negative-prompt weight")
expect(generate(request(prompt="(" * 5000 + "x" + ")" * 5000)), INVALID, "parentheses nested 5000 deep",
       "5,000 nested parentheses")

# ---- bytes that are not a request ------------------------------------------------------
raw = channel.unary_stream("/stipple.v1.Stipple/Generate", request_serializer=lambda b: b,
                           response_deserializer=lambda b: b)
expect(lambda: list(raw(b"\x12\x64abc", timeout=30)), INVALID, "request: 5 bytes that are not a valid GenerateRequest",
       "malformed protobuf")

# ---- shutdown: SIGTERM while one job runs and one waits --------------------------------
outcomes = {}


def run(name, steps):
    try:
        for _ in stub.Generate(request(prompt=name, width=256, height=256, steps=steps,
                                       preview=pb.PreviewOptions(every_n_steps=0)), timeout=120):
            outcomes.setdefault(name + " started", time.monotonic())
        outcomes[name] = ("OK", "")
    except grpc.RpcError as e:
        outcomes[name] = (e.code().name, e.details())


running = threading.Thread(target=run, args=("running", 1000))
running.start()
deadline = time.monotonic() + 60
while "running started" not in outcomes and time.monotonic() < deadline:
    time.sleep(0.05)
waiting = threading.Thread(target=run, args=("waiting", 1000))
waiting.start()
time.sleep(0.5)
os.kill(int(args.pid), signal.SIGTERM)
running.join(90)
waiting.join(90)
for name in ("running", "waiting"):
    code, details = outcomes.get(name, ("none", ""))
    check(code == "UNAVAILABLE" and details == "the server is shutting down",
          "SIGTERM ends the %s job with %s %s" % (name, code, details))

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
