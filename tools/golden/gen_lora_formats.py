"""Case lora_formats: the LoRA files of testdata/golden/lora_formats (LyCORIS LoHa/LoKr/LoCon-Tucker,
DoRA, diffusers/PEFT, key spellings, full diff, OFT, BOFT/GLoRA, SDXL kohya and diffusers)
applied with comfy.sd.load_lora_for_models (LoraLoader's body), one by one and in two stacks.

    gen_lora_formats.py OUT_DIR

The LoRA files are inputs (copied into the case).  Inputs: x = torch.manual_seed(32);
randn([1,4,8,8]), then context randn([1,77,32]), t 500; SDXL: seed 33, x, context [1,77,64],
y randn([1,1568]), t 650.  ComfyUI's log messages while loading and while patching are captured
per format.  GOLDEN_RERUN=0 skips the 1-thread re-run.
"""
import logging
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

CASE = "lora_formats"
FORMATS = {  # format: (model, strength_model, strength_clip)
    "loha": ("sd15", 0.8, 1.0), "lokr": ("sd15", 1.0, 0.7), "locon_tucker": ("sd15", 0.6, 1.0),
    "dora": ("sd15", 0.8, 0.9), "diffusers": ("sd15", 1.0, 1.0), "key_forms": ("sd15", 0.9, 1.1),
    "full_diff": ("sd15", 0.75, 0.5), "oft": ("sd15", 0.8, 1.0), "boft_glora": ("sd15", 0.7, 1.0),
    "sdxl_kohya": ("sdxl", 0.8, 0.9), "sdxl_diffusers": ("sdxl", 1.0, 0.6),
}
STACKS = {"stack_lokr_dora": [("lokr", 0.5, 0.5), ("dora", 0.9, 0.7)],
          "stack_locon_tucker_loha": [("locon_tucker", 0.7, 1.0), ("loha", 0.6, 0.8)]}
PROMPTS = {"sd15": "a lora format test, (oil painting:1.2)", "sdxl": "an sdxl lora test"}


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def captured(fn):
    """(fn(), the WARNING/ERROR messages logged meanwhile: 'lora key not loaded', 'ERROR ...')."""
    h = Capture()
    root = logging.getLogger()
    root.addHandler(h)
    try:
        out = fn()
    finally:
        root.removeHandler(h)
    return out, h.messages


def patch_type(p):
    """A weight adapter's class name, or the kind of a plain patch tuple ("diff", "set", ...)."""
    return p[0] if isinstance(p, tuple) else type(p).__name__


def patched(patcher, keys, module):
    import comfy.model_management
    comfy.model_management.load_models_gpu([patcher], force_patch_weights=True)
    sd = module.state_dict()
    return {k: sd[k].detach().clone() for k in keys}


def family(fam, t, info):
    import torch
    import comfy.sd
    import comfy.utils
    model_file = "sdxl_tiny.safetensors" if fam == "sdxl" else "sd15_tiny.safetensors"
    model, clip, _ = tiny_models.load_checkpoint(tiny_models.model_path(model_file), output_vae=False)
    pre = "sdxl/" if fam == "sdxl" else ""
    torch.manual_seed(33 if fam == "sdxl" else 32)
    t[pre + "x"] = torch.randn([1, 4, 8, 8])
    t[pre + "context"] = torch.randn([1, 77, 64 if fam == "sdxl" else 32])
    kw = {}
    if fam == "sdxl":
        t["sdxl/y"] = torch.randn([1, 1568])
        kw["y"] = t["sdxl/y"]
    t[pre + "timesteps"] = torch.tensor([650.0 if fam == "sdxl" else 500.0])

    def apply(m, c, fmt, sm, sc):
        lora = comfy.utils.load_torch_file(os.path.join(bootstrap.GOLDEN, CASE, fmt + ".safetensors"))
        (m2, c2), msgs = captured(lambda: comfy.sd.load_lora_for_models(m, c, lora, sm, sc))
        return m2, c2, msgs

    variants = {"base": (model, clip)}
    for fmt, (f, sm, sc) in FORMATS.items():
        if f != fam:
            continue
        m, c, msgs = apply(model, clip, fmt, sm, sc)
        variants[fmt] = (m, c)
        info[fmt] = {"load_lora_messages": msgs}
    if fam == "sd15":
        for stack, parts in STACKS.items():
            m, c = model, clip
            for fmt, sm, sc in parts:
                m, c, _ = apply(m, c, fmt, sm, sc)
            variants[stack] = (m, c)
    keys = {tag: (sorted(k for k in m.patches if k.startswith("diffusion_model.")), sorted(c.patcher.patches))
            for tag, (m, c) in variants.items()}
    keys["base"] = (sorted(set().union(*(u for u, _ in keys.values()))), sorted(set().union(*(c for _, c in keys.values()))))
    for tag, (m, c) in variants.items():
        unet_keys, clip_keys = keys[tag]
        (w, msgs), (wc, msgs_c) = captured(lambda: patched(m, unet_keys, m.model)), captured(lambda: patched(c.patcher, clip_keys, c.cond_stage_model))
        for k, v in w.items():
            t["%s%s/unet/%s" % (pre, tag, k)] = v
        for k, v in wc.items():
            t["%s%s/clip/%s" % (pre, tag, k)] = v
        t["%s%s/eps" % (pre, tag)] = m.model.diffusion_model(t[pre + "x"], timesteps=t[pre + "timesteps"], context=t[pre + "context"], **kw)
        cond, pooled = c.encode_from_tokens(c.tokenize(PROMPTS[fam]), return_pooled=True)
        t["%s%s/cond" % (pre, tag)] = cond
        if fam == "sdxl":
            t["%s%s/pooled" % (pre, tag)] = pooled
        if tag in info:
            info[tag]["apply_messages"] = msgs + msgs_c
            info[tag]["patched_keys"] = sorted(unet_keys + clip_keys)
            pt = {k: patch_type(m.patches[k][-1][1]) for k in unet_keys}
            pt.update({k: patch_type(c.patcher.patches[k][-1][1]) for k in clip_keys})
            info[tag]["patch_types"] = pt


def compute():
    import torch
    t, info = {}, {}
    with torch.inference_mode():
        family("sd15", t, info)
        family("sdxl", t, info)
    return t, info


def main():
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), CASE)
    bootstrap.start(CASE)
    import torch
    torch.set_num_threads(2)
    t, info = compute()
    m = bootstrap.base_manifest(CASE, "", "gen_lora_formats.py")
    ref = {}
    bootstrap.copy_reference(m, CASE, ("description", "model_files", "calls", "key_matching", "notes"))
    formats = {}
    for fmt, (fam, sm, sc) in FORMATS.items():
        entry = dict(ref.get("formats", {}).get(fmt, {}))  # file description and module list (prose of the reference)
        entry.update({"file": fmt + ".safetensors", "model": fam + "_tiny", "strength_model": sm, "strength_clip": sc})
        entry.update(info.get(fmt, {}))
        formats[fmt] = entry
    m["formats"] = formats
    m["stacks"] = {s: [{"format": f, "strength_model": a, "strength_clip": b} for f, a, b in parts] for s, parts in STACKS.items()}
    m["prompts"] = PROMPTS
    tolerance = bootstrap.rerun_tolerance(t, lambda: compute()[0])
    if tolerance is not None:
        m["tolerance"] = tolerance
    m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
    bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
    for fmt in FORMATS:
        shutil.copyfile(os.path.join(bootstrap.GOLDEN, CASE, fmt + ".safetensors"), os.path.join(out, fmt + ".safetensors"))
    bootstrap.write_manifest(out, m)
    bad = {f: e for f, e in info.items() if e.get("load_lora_messages") or e.get("apply_messages")}
    if bad:
        print("ComfyUI messages while loading/patching: %s" % bad, file=sys.stderr)


if __name__ == "__main__":
    main()
