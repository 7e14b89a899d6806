#!/usr/bin/env python3
"""Write a full-size Stable Diffusion checkpoint (SD1.5 or SDXL base) with random weights,
for performance work: `stipple bench` and the PyTorch reference need real sizes, and the real
weights cannot be downloaded everywhere. The result is not a usable model.

The file has the tensor names and shapes of the original single-file checkpoints
(v1-5-pruned-emaonly.safetensors, sd_xl_base_1.0.safetensors); checkpoint_layouts.py (beside this
file) derives them from the architecture hyper-parameters and lists the components.

Weights are N(0, std) (default 0.02), norm weights 1, norm biases 0, so that a forward pass stays
finite in fp16. Values depend only on (seed, tensor name): each tensor has its own
numpy default_rng seeded with (seed, crc32(name)), so the f16 file is exactly the f32 file rounded
to half precision, and the SD1.5 values are those of the generator this one grew from.

Only numpy and the standard library are used; the safetensors file is written by hand (8-byte
little-endian header length, JSON header {name: {dtype, shape, data_offsets}} padded with spaces
to 8 bytes, then the data), streamed tensor by tensor in chunks, so memory stays small.

Origin: extends gen_sd15_checkpoint.py, the SD1.5-only generator written for the Stipple
performance work (same layout code, same value stream), with the SDXL layout and chunked writing.

Usage:
  gen_checkpoint.py [--family sd15|sdxl] [--dtype f16|f32|bf16] [--seed N] OUT.safetensors
  gen_checkpoint.py --family sdxl --list       # print "name [shape]" and exit
  gen_checkpoint.py --family sdxl --check-keys KEYS.txt
      # KEYS.txt: "name [d0,d1,...]" lines, e.g. from torch_reference_bench.py --list-keys; the
      # names under the same two-part prefixes (model.diffusion_model, first_stage_model.decoder)
      # must match exactly, with the same shapes
"""

import argparse
import json
import math
import os
import struct
import sys
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_layouts import FAMILIES, schedule_buffers  # noqa: E402

ST_DTYPE = {"f16": ("F16", 2), "f32": ("F32", 4), "bf16": ("BF16", 2)}
ELEM = {"I64": 8, "F32": 4, "F16": 2, "BF16": 2}
CHUNK = 1 << 22  # elements generated at a time: 16 MiB of float32
RANDOM_KINDS = ("w", "b")


def to_dtype(x32, dt):
    if dt == "f32":
        return x32.astype("<f4", copy=False)
    if dt == "f16":
        return x32.astype("<f2")
    # bf16: round-to-nearest-even on the top 16 bits
    u = x32.astype("<f4", copy=False).view("<u4")
    r = ((u >> 16) & 1) + 0x7FFF
    return ((u + r) >> 16).astype("<u2")


def stored_dtype(kind, dt):
    if kind == "ids":
        return "I64"
    if kind == "sched":
        return "F32"  # the original keeps the DDPM buffers in fp32
    return ST_DTYPE[dt][0]


def numel(shape):
    return math.prod(shape)


def tensor_chunks(name, shape, kind, dt, seed, std, sched):
    """The tensor's bytes, in pieces of at most CHUNK elements."""
    n = numel(shape)
    if kind == "ids":
        yield np.arange(n, dtype="<i8").tobytes()
        return
    if kind == "sched":
        yield sched[name].astype("<f4").tobytes()
        return
    if kind == "scale":
        yield to_dtype(np.full(n, math.log(100.0), dtype=np.float32), dt).tobytes()
        return
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())]) if kind in RANDOM_KINDS else None
    buf = np.empty(min(n, CHUNK), dtype=np.float32)
    for start in range(0, n, CHUNK):
        x = buf[:min(CHUNK, n - start)]
        if kind == "nw":
            x.fill(1.0)
        elif kind == "nb":
            x.fill(0.0)
        else:
            # one stream per tensor: drawing it in chunks gives the same values as drawing it at once
            rng.standard_normal(out=x, dtype=np.float32)
            x *= np.float32(std)
        yield to_dtype(x, dt).tobytes()


def build_header(items, dt, meta):
    header, off = {}, 0
    for name, shape, kind in items:
        st = stored_dtype(kind, dt)
        nbytes = numel(shape) * ELEM[st]
        header[name] = {"dtype": st, "shape": list(shape), "data_offsets": [off, off + nbytes]}
        off += nbytes
    header["__metadata__"] = meta
    hjson = json.dumps(header, separators=(",", ":")).encode()
    hjson += b" " * ((-len(hjson)) % 8)
    return header, hjson, off


class Progress:
    """One line, rewritten in place on a terminal; a line every 10% otherwise."""

    def __init__(self, total_bytes, n_tensors):
        self.total, self.n = total_bytes, n_tensors
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last_print, self.last_decile = 0.0, -1

    def update(self, done_bytes, done_tensors, final=False):
        now = time.monotonic()
        frac = done_bytes / self.total if self.total else 1.0
        if self.tty and not final and now - self.last_print < 0.5:
            return
        if not self.tty and not final and int(frac * 10) in (self.last_decile, 10):
            return
        self.last_print, self.last_decile = now, int(frac * 10)
        line = (f"  {100 * frac:5.1f}%  {done_tensors}/{self.n} tensors  "
                f"{done_bytes / 1e9:.2f}/{self.total / 1e9:.2f} GB  {now - self.start:.0f} s")
        end = "\n" if final or not self.tty else ""
        print(("\r" if self.tty else "") + line, end=end, file=sys.stderr, flush=True)


def write_safetensors(path, items, dt, seed, std, meta):
    items = sorted(items, key=lambda t: t[0])
    header, hjson, total = build_header(items, dt, meta)
    sched = schedule_buffers()
    progress = Progress(total, len(items))
    tmp = path + ".part"
    done = 0
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(hjson)))
            f.write(hjson)
            for i, (name, shape, kind) in enumerate(items):
                a, e = header[name]["data_offsets"]
                written = 0
                for piece in tensor_chunks(name, shape, kind, dt, seed, std, sched):
                    f.write(piece)
                    written += len(piece)
                    progress.update(done + written, i)
                if written != e - a:
                    raise AssertionError(f"{name}: wrote {written} bytes (expected: {e - a})")
                done += written
            progress.update(done, len(items), final=True)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return 8 + len(hjson) + total


def read_key_list(fname):
    ref = {}
    with open(fname) as fh:
        for line in fh:
            line = line.strip()
            if line:
                k, shp = line.split(" ", 1)
                ref[k] = json.loads(shp)
    return ref


def check_keys(items, fname):
    """Compare with a reference list under the reference's own two-part prefixes."""
    ref = read_key_list(fname)
    prefixes = sorted({".".join(k.split(".")[:2]) + "." for k in ref})
    ours = {n: list(s) for n, s, _ in items if any(n.startswith(p) for p in prefixes)}
    missing = sorted(set(ref) - set(ours))
    extra = sorted(set(ours) - set(ref))
    bad = sorted(k for k in ref if k in ours and ours[k] != ref[k])
    print(f"{fname}: prefixes {prefixes}: reference {len(ref)}, ours {len(ours)}, missing "
          f"{len(missing)}, extra {len(extra)}, shape mismatch {len(bad)}", file=sys.stderr)
    for k in (missing + extra + bad)[:20]:
        print("   ", k, "reference", ref.get(k), "ours", ours.get(k), file=sys.stderr)
    return not (missing or extra or bad)


def describe(family, parts):
    total_t = total_p = 0
    print(f"{family}:", file=sys.stderr)
    for prefix, items in parts:
        p = sum(numel(s) for _, s, k in items if k not in ("ids", "sched"))
        total_t += len(items)
        total_p += p
        print(f"  {prefix:50s} {len(items):5d} tensors {p:15,d} params", file=sys.stderr)
    print(f"  {'total':50s} {total_t:5d} tensors {total_p:15,d} params", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", help="the .safetensors file to write")
    ap.add_argument("--family", choices=sorted(FAMILIES), default="sd15")
    ap.add_argument("--dtype", choices=sorted(ST_DTYPE), default="f16")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--std", type=float, default=0.02)
    ap.add_argument("--no-schedule", action="store_true", help="omit SD1.5's 12 DDPM buffers")
    ap.add_argument("--list", action="store_true", help="print 'name [shape]' of every tensor and exit")
    ap.add_argument("--check-keys", nargs="*", default=[], metavar="KEYS.txt")
    args = ap.parse_args(argv)

    parts = FAMILIES[args.family](schedule=not args.no_schedule)
    items = [it for _, p in parts for it in p]
    names = [n for n, _, _ in items]
    if len(set(names)) != len(names):
        raise SystemExit(f"{args.family}: duplicate tensor names in the layout")
    if args.list:
        out = sys.stdout
        for n, s, _ in items:
            out.write(n + " [" + ",".join(map(str, s)) + "]\n")
        return 0
    describe(args.family, parts)
    if args.check_keys and not all([check_keys(items, f) for f in args.check_keys]):
        return 1
    if not args.out:
        if not args.check_keys:
            ap.error("give OUT.safetensors, --list or --check-keys")
        return 0
    meta = {"format": "pt", "generator": "stipple tools/perf/gen_checkpoint.py",
            "note": f"random weights, not a usable model; {args.family} single-file layout",
            "family": args.family, "seed": str(args.seed), "std": str(args.std)}
    t0 = time.monotonic()
    size = write_safetensors(args.out, items, args.dtype, args.seed, args.std, meta)
    print(f"wrote {args.out}: {size:,d} bytes ({size / 2**30:.2f} GiB) in "
          f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
