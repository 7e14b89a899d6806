"""Case rng: torch CPU RNG and ComfyUI's noise helpers (prepare_noise, default_noise_sampler,
BrownianTreeNoiseSampler).  Usage: gen_rng.py OUT_DIR  (writes OUT_DIR/rng/)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap

SEEDS = [0, 42, 12345, 2 ** 32 + 42]
SHAPES = [[7], [15], [16], [17], [1, 4, 8, 8], [2, 4, 16, 16], [1, 4, 128, 128]]
KARRAS_SIGMA_MIN, KARRAS_SIGMA_MAX = 0.0291675, 14.614643
SEQUENCE = [[7], [1, 4, 8, 8], [3], [2, 4, 16, 16], [20]]


def tag(shape):
    return "x".join(str(s) for s in shape)


def main():
    out = os.path.join(bootstrap.out_dir(), "rng")
    bootstrap.start("rng")
    import torch
    import comfy.sample
    import comfy.k_diffusion.sampling as ks

    t, calls = {}, []

    def put(name, value, call):
        t[name] = value
        calls.append({"tensor": name, "call": call})

    for seed in SEEDS:
        for shape in SHAPES:
            torch.manual_seed(seed)
            put("randn_seed%d_%s" % (seed, tag(shape)), torch.randn(shape),
                "torch.manual_seed(%d); torch.randn(%s)" % (seed, shape))
    torch.manual_seed(42)
    for i, shape in enumerate(SEQUENCE):
        put("sequence_seed42_draw%d_%s" % (i, tag(shape)), torch.randn(shape),
            "draw %d of: torch.manual_seed(42); then torch.randn(%s) in order %s" % (i, shape, SEQUENCE))
    g = torch.Generator("cpu")
    g.manual_seed(42)
    put("generator_seed42_1x4x8x8", torch.randn([1, 4, 8, 8], generator=g),
        "g=torch.Generator('cpu'); g.manual_seed(42); torch.randn([1,4,8,8], generator=g)")
    torch.manual_seed(42)
    put("rand_seed42_20", torch.rand([20]), "torch.manual_seed(42); torch.rand([20])")
    for shape, seed, inds in [([2, 4, 8, 8], 42, None), ([1, 4, 16, 16], 42, None), ([3, 4, 8, 8], 123, [0, 2, 5])]:
        name = "prepare_noise_seed%d_%s" % (seed, tag(shape)) + ("" if inds is None else "_inds" + "-".join(map(str, inds)))
        put(name, comfy.sample.prepare_noise(torch.zeros(shape), seed, inds),
            "comfy.sample.prepare_noise(torch.zeros(%s), seed=%d, noise_inds=%s)" % (shape, seed, inds))

    # the sigmas the noise samplers are queried with: a 6-step karras schedule between the SD1.5
    # table's end points as the goldens wrote them (rounded: 0.0291675 / 14.614643; the table's
    # own float32 values 0.029167158 / 14.614641 give a schedule ~1e-5 relative away)
    sigmas = ks.get_sigmas_karras(6, KARRAS_SIGMA_MIN, KARRAS_SIGMA_MAX)
    ns = ks.default_noise_sampler(torch.zeros([1, 4, 8, 8]), seed=42)
    for i in range(4):
        put("default_noise_sampler_seed42_call%d" % i, ns(sigmas[i], sigmas[i + 1]),
            "ns=comfy.k_diffusion.sampling.default_noise_sampler(torch.zeros([1,4,8,8]), seed=42); call #%d ns(sigma, sigma_next)" % i)
    pos = sigmas[sigmas > 0]
    bns = ks.BrownianTreeNoiseSampler(torch.zeros([1, 4, 8, 8]), sigma_min=pos.min(), sigma_max=sigmas.max(), seed=42, cpu=True)
    for n in range(len(pos) - 1):
        t["brownian_noise_seed42_step%d" % n] = bns(sigmas[n], sigmas[n + 1])
    calls.append({"tensor": "brownian_noise_seed42_stepN",
                  "call": "bns=comfy.k_diffusion.sampling.BrownianTreeNoiseSampler(torch.zeros([1,4,8,8]), sigma_min=min(sigmas>0), sigma_max=max(sigmas), seed=42, cpu=True); bns(sigmas[N], sigmas[N+1]) for N in order"})
    t["brownian_sigmas"] = sigmas
    calls.append({"tensor": "brownian_sigmas",
                  "call": "comfy.k_diffusion.sampling.get_sigmas_karras(6, %r, %r)" % (KARRAS_SIGMA_MIN, KARRAS_SIGMA_MAX)})

    m = bootstrap.base_manifest("rng", "torch CPU RNG (mt19937 + torch's normal transforms) and ComfyUI's noise helpers", "gen_rng.py")
    m["calls"] = calls
    m["notes"] = bootstrap.golden_manifest("rng").get("notes", [])
    m["tolerance"] = {"exact": "bitwise (RNG output is deterministic)"}
    m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
    bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
    bootstrap.write_manifest(out, m)


if __name__ == "__main__":
    main()
