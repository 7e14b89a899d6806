"""Cases lora and merge: LoRA patching and checkpoint merging of the tiny SD1.5 model.

    gen_lora_merge.py OUT_DIR lora|merge

lora: lora_a / lora_b of testdata/golden/lora (inputs) applied with comfy.sd.load_lora_for_models
(LoraLoader's body): base, single (lora_a 0.8/1.0) and stacked (lora_a 0.5/0.5 then lora_b
0.5/0.5); patched weights read after comfy.model_management.load_models_gpu(force_patch_weights=True).
merge: ComfyUI's ModelMergeSimple (ratio 0.3), ModelAdd, ModelSubtract (multiplier 1.0) of
models/sd15_tiny and models/sd15_tiny_b (UNet only); every 12th UNet key (sorted) and the eps.
Inputs: lora x = torch.manual_seed(31); randn([1,4,8,8]), then context randn([1,77,32]), t 500;
merge the same with seed 41, t 250.  GOLDEN_RERUN=0 skips the 1-thread re-run.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

PROMPT = "a lora test prompt"
LORA_RUNS = {"single": [("lora_a.safetensors", 0.8, 1.0)],
             "stacked": [("lora_a.safetensors", 0.5, 0.5), ("lora_b.safetensors", 0.5, 0.5)]}


def inputs(seed, t):
    import torch
    torch.manual_seed(seed)
    x = torch.randn([1, 4, 8, 8])
    return {"x": x, "context": torch.randn([1, 77, 32]), "timesteps": torch.tensor([float(t)])}


def weights(patcher, keys, module):
    import comfy.model_management
    comfy.model_management.load_models_gpu([patcher], force_patch_weights=True)
    sd = module.state_dict()
    return {k: sd[k].detach().clone() for k in keys}


def lora_case():
    import comfy.sd
    import comfy.utils
    model, clip, _ = tiny_models.load_checkpoint(tiny_models.model_path("sd15_tiny.safetensors"), output_vae=False)
    t = inputs(31, 500)
    variants = {"base": (model, clip)}
    for tag, loras in LORA_RUNS.items():
        m, c = model, clip
        for f, sm, sc in loras:
            lora = comfy.utils.load_torch_file(os.path.join(bootstrap.GOLDEN, "lora", f), safe_load=True)
            m, c = comfy.sd.load_lora_for_models(m, c, lora, sm, sc)
        variants[tag] = (m, c)
    unet_keys = {tag: sorted(k for k in m.patches if k.startswith("diffusion_model.")) for tag, (m, c) in variants.items()}
    clip_keys = {tag: sorted(c.patcher.patches) for tag, (m, c) in variants.items()}
    unet_keys["base"] = sorted(set().union(*unet_keys.values()))
    clip_keys["base"] = sorted(set().union(*clip_keys.values()))
    for tag, (m, c) in variants.items():
        for k, v in weights(m, unet_keys[tag], m.model).items():
            t["%s/unet/%s" % (tag, k)] = v
        t[tag + "/eps"] = m.model.diffusion_model(t["x"], timesteps=t["timesteps"], context=t["context"])
        for k, v in weights(c.patcher, clip_keys[tag], c.cond_stage_model).items():
            t["%s/clip/%s" % (tag, k)] = v
        t[tag + "/cond"] = c.encode_from_tokens(c.tokenize(PROMPT))
    return t


def merge_case():
    import comfy_extras.nodes_model_merging as mm
    model1, _, _ = tiny_models.load_checkpoint(tiny_models.model_path("sd15_tiny.safetensors"), output_vae=False, output_clip=False)
    model2, _, _ = tiny_models.load_checkpoint(tiny_models.model_path("sd15_tiny_b.safetensors"), output_vae=False, output_clip=False)
    t = inputs(41, 250)
    merged = {"simple": mm.ModelMergeSimple().merge(model1, model2, 0.3)[0],
              "add": mm.ModelAdd().merge(model1, model2)[0],
              "subtract": mm.ModelSubtract().merge(model1, model2, 1.0)[0]}
    keys = sorted(k for k in model1.model.state_dict() if k.startswith("diffusion_model."))[::12]
    for kind, m in merged.items():
        for k, v in weights(m, keys, m.model).items():
            t["%s/%s" % (kind, k)] = v
        t[kind + "/eps"] = m.model.diffusion_model(t["x"], timesteps=t["timesteps"], context=t["context"])
    return t


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("lora", "merge"):
        sys.exit(__doc__)
    case = sys.argv[2]
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch

    def compute():
        with torch.inference_mode():
            return lora_case() if case == "lora" else merge_case()

    torch.set_num_threads(2)
    t = compute()
    m = bootstrap.base_manifest(case, "", "gen_lora_merge.py")
    bootstrap.copy_reference(m, case, ("description", "model_file", "model_files", "lora_files", "lora_key_to_weight", "calls", "prompt", "notes"))
    tolerance = bootstrap.rerun_tolerance(t, lambda: compute())
    if tolerance is not None:
        m["tolerance"] = tolerance
    m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
    bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
    if case == "lora":  # the LoRA files are inputs and travel with the case
        for f in ("lora_a.safetensors", "lora_b.safetensors"):
            shutil.copyfile(os.path.join(bootstrap.GOLDEN, "lora", f), os.path.join(out, f))
    bootstrap.write_manifest(out, m)


if __name__ == "__main__":
    main()
