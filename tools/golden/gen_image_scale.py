"""Case image_scale: ComfyUI's ImageScale node (comfy.utils.common_upscale on NCHW pixels in [0, 1]).

    gen_image_scale.py OUT_DIR      (writes OUT_DIR/image_scale/)

The input is the e2e img2img case's init.png (64x64) as ComfyUI's LoadImage reads it. For each case of
the manifest (method, width, height, crop): the node's output `<case>` (NHWC, float32 in [0, 1]) and
`<case>_png`, the 8-bit pixels SaveImage would write (clip(255·x, 0, 255) truncated).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap

INIT = os.path.join(bootstrap.GOLDEN, "e2e", "sd15_img2img_euler_normal_d0p6", "init.png")
CASES = {
    "nearest_40x24": ("nearest-exact", 40, 24, "disabled"),
    "bilinear_40x24": ("bilinear", 40, 24, "disabled"),
    "area_40x24": ("area", 40, 24, "disabled"),
    "bilinear_96x72_center": ("bilinear", 96, 72, "center"),
    "area_h0_w48": ("area", 48, 0, "disabled"),
    "nearest_w0_h80_center": ("nearest-exact", 0, 80, "center"),
}


def tensors():
    import torch
    import nodes
    image = nodes.LoadImage().load_image(INIT)[0]
    t = {"input": image}
    for name, (method, w, h, crop) in CASES.items():
        s = nodes.ImageScale().upscale(image, method, w, h, crop)[0]
        t[name] = s.contiguous()
        t[name + "_png"] = torch.from_numpy((s.clamp(0, 1) * 255.0).numpy().clip(0, 255).astype("uint8")).float()
    return t


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    case = "image_scale"
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    t = tensors()
    m = bootstrap.base_manifest(case, "ComfyUI's ImageScale node on the img2img init.png", "gen_image_scale.py")
    m["input"] = "e2e/sd15_img2img_euler_normal_d0p6/init.png"
    m["cases"] = {n: {"upscale_method": c[0], "width": c[1], "height": c[2], "crop": c[3]} for n, c in CASES.items()}
    bootstrap.write_case(out, m, t, tensors)


if __name__ == "__main__":
    main()
