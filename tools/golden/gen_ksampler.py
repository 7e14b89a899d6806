"""Cases ksampler_sd15, ksampler_sd15_more, ksampler_sdxl and the v-prediction ones: full KSampler runs with the tiny models.

    gen_ksampler.py OUT_DIR FAMILY [RUN ...]     FAMILY: sd15 | sd15_more | sdxl | sd15_vpred | sd15_vpred_zsnr | sdxl_vpred

The v-prediction families patch the model with ComfyUI's ModelSamplingDiscrete node
(comfy_extras.nodes_model_advanced: sampling "v_prediction", zsnr false or true) before sampling:
the same model, its output read as v, and for zsnr the schedule rescaled to zero terminal SNR.

Each run is what the KSampler node does (nodes.common_ksampler): fix_empty_latent_channels,
comfy.sample.prepare_noise(latent, seed), comfy.sample.sample(...) with a callback that records
the per-step (x, denoised) pairs.  With RUN names only those runs are made (the manifest then
lists only them).  GOLDEN_RERUN=0 skips the 1-thread re-run that measures the rerun tolerance.
GOLDEN_REFERENCE_CONDS=1 samples with the conditioning tensors of testdata/golden/<case>/conds.safetensors
instead of this machine's CLIPTextEncode outputs (a diagnostic: it separates the last-bit differences
of the text encoder on this CPU from those of the sampler runs; conds.safetensors is then a copy).
"""
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

SEED, CFG, STEPS = 42, 7.0, 6
POSITIVE, NEGATIVE = "a photo of a cat", "blurry, low quality"
SD15_SAMPLERS = ["euler", "euler_ancestral", "heun", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_sde", "ddim", "lcm", "uni_pc"]
SD15_SCHEDULERS = ["normal", "karras", "exponential", "sgm_uniform", "simple", "ddim_uniform", "beta"]
MORE_SAMPLERS = ["heunpp2", "dpm_2", "dpm_2_ancestral", "lms", "dpm_fast", "dpm_adaptive", "dpmpp_2s_ancestral",
                 "dpmpp_3m_sde", "ddpm", "ipndm", "ipndm_v", "deis", "uni_pc_bh2"]

FAMILIES = {
    "sd15": {
        "model": "sd15_tiny.safetensors", "sdxl": False, "img2img_seed": 5,
        "runs": [(s, k, STEPS, 1.0) for s in SD15_SAMPLERS for k in SD15_SCHEDULERS]
        + [("euler", "normal", 8, 0.6), ("dpmpp_2m", "karras", 8, 0.6), ("euler_ancestral", "simple", 8, 0.6)],
    },
    "sd15_more": {
        "model": "sd15_tiny.safetensors", "sdxl": False, "img2img_seed": 8,
        "runs": [(s, k, STEPS, 1.0) for s in MORE_SAMPLERS for k in ("normal", "karras")]
        + [(s, k, STEPS, 1.0) for k in ("linear_quadratic", "kl_optimal") for s in ("euler", "dpmpp_2m")]
        + [("lms", "kl_optimal", 8, 0.6), ("dpm_2", "linear_quadratic", 8, 0.6)],
    },
    "sdxl": {
        "model": "sdxl_tiny.safetensors", "sdxl": True, "img2img_seed": 6,
        "runs": [("euler", "normal", STEPS, 1.0), ("euler_ancestral", "karras", STEPS, 1.0), ("dpmpp_2m", "karras", STEPS, 1.0),
                 ("ddim", "ddim_uniform", STEPS, 1.0), ("uni_pc", "simple", STEPS, 1.0),
                 ("euler", "normal", 8, 0.6), ("dpmpp_2m", "karras", 8, 0.6)],
    },
    "sd15_vpred": {
        "model": "sd15_tiny.safetensors", "sdxl": False, "img2img_seed": 12, "model_sampling": ("v_prediction", False),
        "runs": [("euler", "normal", STEPS, 1.0), ("dpmpp_2m", "karras", STEPS, 1.0), ("euler_ancestral", "simple", STEPS, 1.0),
                 ("euler", "normal", 8, 0.6)],
    },
    "sd15_vpred_zsnr": {
        "model": "sd15_tiny.safetensors", "sdxl": False, "img2img_seed": 13, "model_sampling": ("v_prediction", True),
        "runs": [("euler", "normal", STEPS, 1.0), ("dpmpp_2m", "karras", STEPS, 1.0), ("euler", "normal", 8, 0.6)],
    },
    "sdxl_vpred": {
        "model": "sdxl_tiny.safetensors", "sdxl": True, "img2img_seed": 14, "model_sampling": ("v_prediction", False),
        "runs": [("euler", "normal", STEPS, 1.0), ("dpmpp_2m", "karras", STEPS, 1.0)],
    },
}
# the img2img start latent: a fixed random latent (unscaled VAE space), seed per family
IMG2IMG_START = "torch.manual_seed(%d); torch.randn([1,4,8,8]) * 2.0"


def run_name(sampler, scheduler, steps, denoise):
    if denoise < 1.0:
        return "img2img_%s__%s__d%s" % (sampler, scheduler, ("%g" % denoise).replace(".", "p"))
    return "%s__%s" % (sampler, scheduler)


def encode(clip, text):
    """CLIPTextEncode: (cond, pooled)."""
    tokens = clip.tokenize(text)
    return clip.encode_from_tokens(tokens, return_pooled=True)


def ksample(model, positive, negative, latent, sampler, scheduler, steps, denoise):
    """nodes.common_ksampler with a recording callback; returns the run's tensors."""
    import torch
    import comfy.sample
    import comfy.samplers
    latent = comfy.sample.fix_empty_latent_channels(model, latent)
    noise = comfy.sample.prepare_noise(latent, SEED)
    ks = comfy.samplers.KSampler(model, steps=steps, device="cpu", sampler=sampler, scheduler=scheduler, denoise=denoise)
    steps_seen = []

    def callback(step, x0, x, total_steps):
        steps_seen.append((step, x.detach().clone(), x0.detach().clone()))

    samples = comfy.sample.sample(model, noise, steps, CFG, sampler, scheduler, positive, negative, latent,
                                  denoise=denoise, callback=callback, disable_pbar=True, seed=SEED)
    t = {"sigmas": ks.sigmas.float().cpu(), "noise": noise, "samples": samples.float()}
    for i, (step, x, x0) in enumerate(steps_seen):
        t["step%02d_x" % i] = x
        t["step%02d_denoised" % i] = x0
    return t


def tolerance_entry(a, b):
    """Rerun tolerance of two runs of the same computation (2 threads vs 1)."""
    per = {}
    for k in a:
        if k in b and a[k].shape == b[k].shape:
            per[k] = float((a[k].double() - b[k].double()).abs().max()) if a[k].numel() else 0.0
    entry = {"method": "same computation re-run in float32 with torch.set_num_threads(1) vs 2",
             "max_abs_diff": max(per.values()) if per else 0.0}
    if "samples" in a:
        entry["samples"] = {"max_abs_diff": per.get("samples", 0.0), "max_abs_value": float(a["samples"].abs().max())}
    return entry


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in FAMILIES:
        sys.exit(__doc__)
    family = sys.argv[2]
    case = "ksampler_" + family
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    only = set(sys.argv[3:])
    rerun = os.environ.get("GOLDEN_RERUN", "1") != "0"
    fam = FAMILIES[family]
    bootstrap.start(case)
    import torch
    model, clip, _ = tiny_models.load_checkpoint(tiny_models.model_path(fam["model"]), output_vae=False)
    if "model_sampling" in fam:
        from comfy_extras.nodes_model_advanced import ModelSamplingDiscrete
        model = ModelSamplingDiscrete().patch(model, *fam["model_sampling"])[0]
    pc, pp = encode(clip, POSITIVE)
    nc, np_ = encode(clip, NEGATIVE)
    torch.manual_seed(fam["img2img_seed"])
    start_latent = torch.randn([1, 4, 8, 8]) * 2.0
    conds = {"positive_cond": pc, "negative_cond": nc, "img2img_start_latent": start_latent}
    if os.environ.get("GOLDEN_REFERENCE_CONDS", "0") != "0":
        import comfy.utils
        ref = comfy.utils.load_torch_file(os.path.join(bootstrap.GOLDEN, case, "conds.safetensors"))
        pc, nc = ref["positive_cond"], ref["negative_cond"]
        if fam["sdxl"]:
            pp, np_ = ref["positive_pooled"], ref["negative_pooled"]
        conds["positive_cond"], conds["negative_cond"] = pc, nc
        print("sampling with the reference conds of testdata/golden/%s" % case, flush=True)
    if fam["sdxl"]:
        positive = [[pc, {"pooled_output": pp}]]
        negative = [[nc, {"pooled_output": np_}]]
        conds["positive_pooled"], conds["negative_pooled"] = pp, np_
        # the UNet's y as encode_model_conds builds it: latent size x8, crop 0, target = size
        for tag, pooled in (("positive", pp), ("negative", np_)):
            conds[tag + "_adm_y"] = model.model.encode_adm(pooled_output=pooled, width=64, height=64, crop_w=0, crop_h=0,
                                                          target_width=64, target_height=64)
    else:
        positive, negative = [[pc, {}]], [[nc, {}]]
    bootstrap.save_tensors(os.path.join(out, "conds.safetensors"), conds)

    runs = {}
    for sampler, scheduler, steps, denoise in fam["runs"]:
        name = run_name(sampler, scheduler, steps, denoise)
        if only and name not in only:
            continue
        latent = start_latent.clone() if denoise < 1.0 else torch.zeros([1, 4, 8, 8])
        entry = {"file": name + ".safetensors", "sampler_name": sampler, "scheduler": scheduler, "steps": steps,
                 "denoise": denoise,
                 "latent": "img2img_start_latent from conds.safetensors (unscaled VAE-space latent)" if denoise < 1.0
                 else "zeros [1,4,8,8] (EmptyLatentImage 64x64)"}
        t0 = time.time()
        try:
            torch.set_num_threads(2)
            t = ksample(model, positive, negative, latent.clone(), sampler, scheduler, steps, denoise)
            if rerun:
                torch.set_num_threads(1)
                t1 = ksample(model, positive, negative, latent.clone(), sampler, scheduler, steps, denoise)
                torch.set_num_threads(2)
                entry["tolerance"] = tolerance_entry(t, t1)
            n_cb = sum(1 for k in t if k.endswith("_x"))
            if family == "sd15_more":
                entry["n_sigmas"] = int(t["sigmas"].numel())
                entry["n_callbacks"] = n_cb
            bootstrap.save_tensors(os.path.join(out, entry["file"]), t)
        except Exception as e:  # recorded like the goldens do for runs that fail in ComfyUI
            entry["error"] = "%s: %s" % (type(e).__name__, e)
            traceback.print_exc()
        print("%s/%s %.1fs" % (case, name, time.time() - t0), flush=True)
        runs[name] = entry

    m = bootstrap.base_manifest(case, "Full KSampler runs with the tiny %s model (KSampler node = nodes.common_ksampler)"
                                % ("SDXL" if fam["sdxl"] else "SD1.5"), "gen_ksampler.py")
    m["model_file"] = "models/" + fam["model"]
    if "model_sampling" in fam:
        m["model_sampling"] = {"node": "ModelSamplingDiscrete", "sampling": fam["model_sampling"][0], "zsnr": fam["model_sampling"][1]}
    m["settings"] = {"seed": SEED, "cfg": CFG, "positive_prompt": POSITIVE, "negative_prompt": NEGATIVE,
                     "default_steps": STEPS, "latent_hw": [8, 8], "img2img_start_latent": IMG2IMG_START % fam["img2img_seed"],
                     "conditioning": "[[cond, {'pooled_output': pooled}]] (CLIPTextEncode outputs, in conds.safetensors)"
                     if fam["sdxl"] else "[[cond, {}]] (CLIPTextEncode outputs, pooled omitted; in conds.safetensors)"}
    m["calls"] = {"noise": "comfy.sample.prepare_noise(latent, seed)",
                  "sigmas": "comfy.samplers.KSampler(model, steps, 'cpu', sampler, scheduler, denoise).sigmas",
                  "samples": "comfy.sample.sample(model, noise, steps, cfg, sampler_name, scheduler, positive, negative, latent, denoise=denoise, seed=seed) (unscaled)",
                  "stepNN_x / stepNN_denoised": "callback(step, x0, x, total) arguments at each step"}
    try:  # the prose of the reference manifest (notes on samplers and schedulers) is kept as it is
        ref = bootstrap.golden_manifest(case)
        for k in ("sampler_names_in_comfyui", "scheduler_names_in_comfyui", "schedulers", "sampler_notes", "notes"):
            if k in ref:
                m[k] = ref[k]
    except OSError:
        pass
    if os.environ.get("GOLDEN_REFERENCE_CONDS", "0") != "0":
        m["settings"]["conditioning_source"] = "GOLDEN_REFERENCE_CONDS=1: testdata/golden/%s/conds.safetensors" % case
    m["runs"] = runs
    tols = [r["tolerance"]["max_abs_diff"] for r in runs.values() if "tolerance" in r]
    m["tolerance"] = {"max_rerun_abs_diff_over_grid": max(tols)} if tols else {}
    if family == "sd15_more" and tols:
        m["tolerance"]["max_rerun_abs_diff_over_grid_excluding_dpm_adaptive"] = max(
            [r["tolerance"]["max_abs_diff"] for r in runs.values() if "tolerance" in r and r["sampler_name"] != "dpm_adaptive"] or [0.0])
    bootstrap.write_manifest(out, m)


if __name__ == "__main__":
    main()
