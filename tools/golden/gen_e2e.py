"""Case e2e: end to end, prompt text in, latent and image out, through ComfyUI's nodes.

    gen_e2e.py OUT_DIR [CASE ...]      (writes OUT_DIR/e2e/<case>/)

The graph (also written to each manifest as a ComfyUI API prompt):
  CheckpointLoaderSimple -> [LoraLoader ...] -> [CLIPSetLastLayer] -> CLIPTextEncode x2
  EmptyLatentImage | LoadImage -> VAEEncode;  KSampler -> VAEDecode -> SaveImage, SaveLatent
The nodes' own methods are called (nodes.CLIPTextEncode, nodes.common_ksampler, nodes.VAEDecode,
...); only the file lookups are replaced: the checkpoint goes through tiny_models (tiny configs,
see there) and LoraLoader's body (comfy.utils.load_torch_file + comfy.sd.load_lora_for_models)
is called with the file path.  init.png of the img2img case is an input, read from testdata.
GOLDEN_RERUN=0 skips the 1-thread re-run that measures the rerun tolerance.
"""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

SH = "shared/golden/"


def case(model, prompt, negative, seed, steps, cfg, sampler, scheduler, width, height, batch=1, clip_skip=None,
         loras=(), denoise=1.0, init_image=None):
    return {"model": SH + "models/" + model, "prompt": prompt, "negative": negative, "seed": seed, "steps": steps,
            "cfg": cfg, "sampler": sampler, "scheduler": scheduler, "width": width, "height": height, "batch": batch,
            "clip_skip": clip_skip,
            "loras": [{"file": SH + "lora/" + f, "strength_model": a, "strength_clip": b} for f, a, b in loras],
            "denoise": denoise, "init_image": init_image, "merge": None}


CASES = {
    "sd15_euler_normal_64x64": case("sd15_tiny.safetensors", "a photo of a cat", "blurry, low quality", 1, 6, 7.0,
                                    "euler", "normal", 64, 64),
    "sd15_dpmpp_2m_karras_64x96_b2": case("sd15_tiny.safetensors", "a mountain lake at sunrise", "ugly, watermark", 7, 8,
                                          7.0, "dpmpp_2m", "karras", 64, 96, batch=2),
    "sd15_euler_ancestral_simple_clipskip2": case("sd15_tiny.safetensors", "a (red:1.3) fox, [sketch]", "lowres", 21, 6,
                                                  6.5, "euler_ancestral", "simple", 64, 64, clip_skip=-2),
    "sdxl_euler_normal_64x64": case("sdxl_tiny.safetensors", "a photo of a dog on a beach", "blurry", 3, 6, 7.0,
                                    "euler", "normal", 64, 64),
    "sdxl_dpmpp_2m_karras_96x64": case("sdxl_tiny.safetensors", "a (glass:1.2) teapot, studio light",
                                       "noise, jpeg artifacts", 11, 8, 6.0, "dpmpp_2m", "karras", 96, 64),
    "sd15_lora_a_0p8_1p0": case("sd15_tiny.safetensors", "a portrait of a knight", "bad hands", 5, 6, 7.0, "euler",
                                "normal", 64, 64, loras=[("lora_a.safetensors", 0.8, 1.0)]),
    "sd15_lora_a_b_stacked_0p5": case("sd15_tiny.safetensors", "a portrait of a knight", "bad hands", 5, 6, 7.0,
                                      "euler", "normal", 64, 64,
                                      loras=[("lora_a.safetensors", 0.5, 0.5), ("lora_b.safetensors", 0.5, 0.5)]),
    "sd15_img2img_euler_normal_d0p6": case("sd15_tiny.safetensors", "a red ball on a blue mat", "blurry", 9, 8, 7.0,
                                           "euler", "normal", 64, 64, denoise=0.6,
                                           init_image=SH + "e2e/sd15_img2img_euler_normal_d0p6/init.png"),
}


def local(path):
    """shared/golden/... (the manifests' spelling) -> the file in testdata/golden."""
    assert path.startswith(SH), path
    return os.path.join(bootstrap.GOLDEN, path[len(SH):])


def cli(p):
    a = ["stipple", "generate", "--model", p["model"], "--prompt", p["prompt"], "--negative", p["negative"],
         "--seed", str(p["seed"]), "--steps", str(p["steps"]), "--cfg", str(p["cfg"]), "--sampler", p["sampler"],
         "--scheduler", p["scheduler"], "--width", str(p["width"]), "--height", str(p["height"])]
    if p["batch"] != 1:
        a += ["--batch", str(p["batch"])]
    if p["clip_skip"] is not None:
        a += ["--clip-skip", str(p["clip_skip"])]
    for l in p["loras"]:
        a += ["--lora", "%s:%s:%s" % (l["file"], l["strength_model"], l["strength_clip"])]
    if p["init_image"]:
        a += ["--denoise", str(p["denoise"]), "--init-image", p["init_image"]]
    return a + ["--save-latent", "OUT.latent", "--out", "OUT.png"]


def api_prompt(p):
    g = {"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": p["model"]}}}
    m, c = ["1", 0], ["1", 1]
    for i, l in enumerate(p["loras"]):
        nid = str(20 + i)
        g[nid] = {"class_type": "LoraLoader", "inputs": {"model": m, "clip": c, "lora_name": l["file"],
                                                         "strength_model": l["strength_model"], "strength_clip": l["strength_clip"]}}
        m, c = [nid, 0], [nid, 1]
    if p["clip_skip"] is not None:
        g["30"] = {"class_type": "CLIPSetLastLayer", "inputs": {"clip": c, "stop_at_clip_layer": p["clip_skip"]}}
        c = ["30", 0]
    g["2"] = {"class_type": "CLIPTextEncode", "inputs": {"text": p["prompt"], "clip": c}}
    g["3"] = {"class_type": "CLIPTextEncode", "inputs": {"text": p["negative"], "clip": c}}
    if p["init_image"]:
        g["40"] = {"class_type": "LoadImage", "inputs": {"image": p["init_image"]}}
        g["4"] = {"class_type": "VAEEncode", "inputs": {"pixels": ["40", 0], "vae": ["1", 2]}}
    else:
        g["4"] = {"class_type": "EmptyLatentImage", "inputs": {"width": p["width"], "height": p["height"], "batch_size": p["batch"]}}
    g["5"] = {"class_type": "KSampler", "inputs": {"model": m, "seed": p["seed"], "steps": p["steps"], "cfg": p["cfg"],
                                                   "sampler_name": p["sampler"], "scheduler": p["scheduler"], "positive": ["2", 0],
                                                   "negative": ["3", 0], "latent_image": ["4", 0], "denoise": p["denoise"]}}
    g["6"] = {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}}
    g["7"] = {"class_type": "SaveImage", "inputs": {"images": ["6", 0], "filename_prefix": "output"}}
    g["8"] = {"class_type": "SaveLatent", "inputs": {"samples": ["5", 0], "filename_prefix": "output"}}
    return g


def run_graph(p):
    """The graph, under torch.inference_mode() as ComfyUI's PromptExecutor runs every prompt."""
    import torch
    with torch.inference_mode():
        return _run_graph(p)


def _run_graph(p):
    import numpy as np
    import torch
    import comfy.sample
    import comfy.samplers
    import comfy.sd
    import comfy.utils
    import nodes
    model, clip, vae = tiny_models.load_checkpoint(local(p["model"]))
    for l in p["loras"]:  # LoraLoader.load_lora without the folder lookup
        lora = comfy.utils.load_torch_file(local(l["file"]), safe_load=True)
        model, clip = comfy.sd.load_lora_for_models(model, clip, lora, l["strength_model"], l["strength_clip"])
    if p["clip_skip"] is not None:
        clip = nodes.CLIPSetLastLayer().set_last_layer(clip, p["clip_skip"])[0]
    positive = nodes.CLIPTextEncode().encode(clip, p["prompt"])[0]
    negative = nodes.CLIPTextEncode().encode(clip, p["negative"])[0]
    t = {"positive_cond": positive[0][0], "negative_cond": negative[0][0]}
    if "pooled_output" in positive[0][1] and model.model.model_config.__class__.__name__.startswith("SDXL"):
        t["positive_pooled"] = positive[0][1]["pooled_output"]
        t["negative_pooled"] = negative[0][1]["pooled_output"]
    if p["init_image"]:
        image = nodes.LoadImage().load_image(local(p["init_image"]))[0]
        latent = nodes.VAEEncode().encode(vae, image)[0]
        t["init_image"], t["init_latent"] = image, latent["samples"]
    else:
        latent = nodes.EmptyLatentImage().generate(p["width"], p["height"], p["batch"])[0]
    li = comfy.sample.fix_empty_latent_channels(model, latent["samples"])
    t["noise"] = comfy.sample.prepare_noise(li, p["seed"], latent.get("batch_index"))
    t["sigmas"] = comfy.samplers.KSampler(model, steps=p["steps"], device="cpu", sampler=p["sampler"],
                                          scheduler=p["scheduler"], denoise=p["denoise"]).sigmas.float().cpu()
    if "positive_pooled" in t:  # the y the UNet gets: image size, crop 0, target = size
        h, w = li.shape[2] * 8, li.shape[3] * 8
        for tag in ("positive", "negative"):
            t[tag + "_adm_y"] = model.model.encode_adm(pooled_output=t[tag + "_pooled"], width=w, height=h, crop_w=0,
                                                      crop_h=0, target_width=w, target_height=h)
    out = nodes.common_ksampler(model, p["seed"], p["steps"], p["cfg"], p["sampler"], p["scheduler"], positive,
                                negative, latent, denoise=p["denoise"])[0]
    t["samples"] = out["samples"]
    t["image"] = nodes.VAEDecode().decode(vae, out)[0]
    t["png"] = torch.from_numpy(np.clip(255. * t["image"].cpu().numpy(), 0, 255).astype(np.uint8))  # SaveImage
    return t


def tolerance(a, b):
    per, fl = {}, 0.0
    for k in a:
        if a[k].dtype == __import__("torch").uint8:
            d = (a[k].int() - b[k].int()).abs()
            per[k] = {"max_abs_diff": int(d.max()), "values_differing": int((d > 0).sum()), "of": int(d.numel())}
        else:
            d = float((a[k].double() - b[k].double()).abs().max())
            per[k] = {"max_abs_diff": d, "max_abs_value": float(a[k].abs().max())}
            fl = max(fl, d)
    return {"method": "the same graph re-run in float32 with torch.set_num_threads(1) instead of 2",
            "max_abs_diff_float": fl, "per_tensor": per}


def main():
    root = bootstrap.out_dir(sys.argv[1:2])
    names = sys.argv[2:] or list(CASES)
    rerun = os.environ.get("GOLDEN_RERUN", "1") != "0"
    bootstrap.start("e2e")
    import torch
    from PIL import Image
    import comfy.utils
    for name in names:
        p = CASES[name]
        out = os.path.join(root, "e2e", name)
        t0 = time.time()
        torch.set_num_threads(2)
        t = run_graph(p)
        tol = None
        if rerun:
            torch.set_num_threads(1)
            tol = tolerance(t, run_graph(p))
            torch.set_num_threads(2)
        bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
        if p["init_image"]:  # the input image travels with the case
            shutil.copyfile(local(p["init_image"]), os.path.join(out, "init.png"))
        # SaveLatent's file (prompt/workflow metadata omitted) and SaveImage's pixels
        comfy.utils.save_torch_file({"latent_tensor": t["samples"].contiguous(), "latent_format_version_0": torch.tensor([])},
                                    os.path.join(out, "output.latent"))
        for i in range(t["png"].shape[0]):
            Image.fromarray(t["png"][i].numpy()).save(os.path.join(out, "output_b%d.png" % i), compress_level=4)
        m = bootstrap.base_manifest("e2e/" + name, "End to end: prompt text in, final latent and decoded image out (%s tiny checkpoint, ComfyUI graph below)"
                                    % ("SDXL" if "sdxl" in p["model"] else "SD1.5"), "gen_e2e.py")
        m["paths"] = "Every path in this manifest is relative to the folder that holds shared/ (from the project checkout, shared/ is ../shared)."
        m["params"], m["cli"], m["comfyui_api_prompt"] = p, cli(p), api_prompt(p)
        try:  # prose of the reference manifest kept as it is
            ref = bootstrap.golden_manifest("e2e/" + name)
            for k in ("params_notes", "outputs", "notes"):
                if k in ref:
                    m[k] = ref[k]
        except OSError:
            pass
        m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
        if tol:
            m["tolerance"] = tol
        bootstrap.write_manifest(out, m)
        print("e2e/%s %.1fs" % (name, time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
