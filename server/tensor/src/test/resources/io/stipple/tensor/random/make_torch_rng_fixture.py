#!/usr/bin/python3
"""Writes torch_rng_extra.safetensors: torch's own CPU RNG output for seeds and shapes that the
ComfyUI goldens (testdata/golden/rng) do not cover, for TorchGeneratorExtraFixtureTest.

Run with torch 1.13 on an x86 CPU (the goldens' torch): /usr/bin/python3 make_torch_rng_fixture.py

Each seed gets one generator (torch.manual_seed) and a sequence of draws in the order listed in
DRAWS; tensor "seed=<S>/draw=<NN>/<op>" holds draw NN (op is randn or rand), with its shape.
Seeds are Python ints as torch.manual_seed takes them: negative, at or above 2**31, 2**32, 2**63.
"""
import json
import struct

import torch

SEEDS = [7, 2**31 - 1, 2**31 + 7, 2**32 - 1, 2**32 + 1, 2**40 + 5, 2**63 - 1, 2**63 + 5, 2**64 - 1,
         -1, -12345, -(2**63)]
# randn of every element count 0..48 (scalar path below 16, one block, a block plus a tail, ...),
# then a few multi-dimensional shapes, a 0-d tensor, an empty one and rand draws in between.
DRAWS = ([("randn", [n]) for n in range(49)]
         + [("rand", [5]), ("randn", [3]), ("randn", [2, 3, 5]), ("rand", [17]), ("randn", []),
            ("randn", [2, 0, 5]), ("randn", [1, 4, 9, 9]), ("randn", [1])])


def main():
    tensors = {}
    for seed in SEEDS:
        torch.manual_seed(seed)
        for i, (op, shape) in enumerate(DRAWS):
            t = torch.randn(shape) if op == "randn" else torch.rand(shape)
            tensors[f"seed={seed}/draw={i:02d}/{op}"] = t
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"torch": torch.__version__, "script": "make_torch_rng_fixture.py"}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open("torch_rng_extra.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    main()
