"""Case clip_sdxl_node: ComfyUI's CLIPTextEncodeSDXL node (separate text_g and text_l, the size conditioning).

    gen_clip_sdxl_node.py OUT_DIR      (writes OUT_DIR/clip_sdxl_node/)

For each case: the node's conditioning (cond, pooled_output) on the tiny SDXL checkpoint, and the UNet's
ADM vector y that the node's width, height, crop and target sizes give (model.encode_adm, as sampling
builds it). When text_g and text_l tokenize to different numbers of 77-token chunks, the node pads the
shorter with the chunks of an empty prompt.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

LONG = " ".join("word%d" % i for i in range(40)) + ", a very long prompt that needs two chunks of seventy five tokens"
CASES = {
    "short_g_long_l": {"text_g": "a photo of a cat", "text_l": LONG, "size": [1024, 768, 0, 16, 1024, 768]},
    "long_g_short_l": {"text_g": LONG, "text_l": "a (red:1.2) hat", "size": [832, 1216, 32, 0, 1024, 1024]},
    "both_weighted": {"text_g": "(blue sky:0.8) and a hill", "text_l": "a ((hill))", "size": [1024, 1024, 0, 0, 1024, 1024]},
}


def tensors(model, clip):
    from comfy_extras.nodes_clip_sdxl import CLIPTextEncodeSDXL
    t = {}
    for name, c in CASES.items():
        w, h, crop_w, crop_h, tw, th = c["size"]
        out = CLIPTextEncodeSDXL.execute(clip, w, h, crop_w, crop_h, tw, th, c["text_g"], c["text_l"])
        cond, extra = out.result[0][0]
        t[name + "_cond"] = cond
        t[name + "_pooled"] = extra["pooled_output"]
        t[name + "_adm_y"] = model.model.encode_adm(pooled_output=extra["pooled_output"], width=w, height=h, crop_w=crop_w, crop_h=crop_h,
                                                   target_width=tw, target_height=th)
    return t


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    case = "clip_sdxl_node"
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch
    model, clip, _ = tiny_models.load_checkpoint(tiny_models.model_path("sdxl_tiny.safetensors"), output_vae=False)
    torch.set_num_threads(2)
    t = tensors(model, clip)
    m = bootstrap.base_manifest(case, "ComfyUI's CLIPTextEncodeSDXL node on the tiny SDXL checkpoint", "gen_clip_sdxl_node.py")
    m["model_file"] = "models/sdxl_tiny.safetensors"
    m["cases"] = {n: dict(c, size_order="width, height, crop_w, crop_h, target_width, target_height") for n, c in CASES.items()}
    bootstrap.write_case(out, m, t, lambda: tensors(model, clip))


if __name__ == "__main__":
    main()
