"""Case vae_diffusers: a standalone VAE file in the diffusers layout, loaded as ComfyUI's VAELoader loads it.

    gen_vae_diffusers.py OUT_DIR      (writes OUT_DIR/vae_diffusers/)

vae_diffusers.safetensors is the tiny SD1.5 checkpoint's VAE (first_stage_model.*) under diffusers' names
(encoder.down_blocks.N.resnets.M, decoder.up_blocks in reverse order, mid_block.attentions.0 with
group_norm/to_q/to_k/to_v/to_out.0 as linear [c, c] weights), made here by inverting ComfyUI's own
diffusers_convert.convert_vae_state_dict and checked to convert back to the very same tensors. ComfyUI's
comfy.sd.VAE(sd=...) converts it on loading; data.safetensors holds its decode and encode of the vae case's
latent and image (the same as the vae case's, the weights being the same).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

ATTN = [("norm.", "group_norm."), ("q.", "to_q."), ("k.", "to_k."), ("v.", "to_v."), ("proj_out.", "to_out.0.")]


def to_diffusers(ldm):
    """The inverse of convert_vae_state_dict for the names this VAE has."""
    from comfy import diffusers_convert
    out = {}
    for k, v in ldm.items():
        name = k
        if "mid.attn_1." in name:
            for sd_part, hf_part in ATTN:
                name = name.replace("mid.attn_1." + sd_part, "mid.attn_1." + hf_part)
        for sd_part, hf_part in diffusers_convert.vae_conversion_map:
            name = name.replace(sd_part, hf_part)
        if any(name.endswith("attentions.0.%s.weight" % w) for w in ("to_q", "to_k", "to_v", "to_out.0")):
            v = v.reshape(v.shape[0], v.shape[1])
        out[name] = v.contiguous()
    back = diffusers_convert.convert_vae_state_dict(dict(out))
    assert sorted(back) == sorted(ldm), sorted(set(back) ^ set(ldm))
    for k in ldm:
        assert back[k].shape == ldm[k].shape and bool((back[k] == ldm[k]).all()), k
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    case = "vae_diffusers"
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch
    import comfy.sd
    import comfy.utils
    import safetensors.torch
    sd = comfy.utils.load_torch_file(tiny_models.model_path("sd15_tiny.safetensors"))
    prefix = "first_stage_model."
    diffusers = to_diffusers({k[len(prefix):]: v for k, v in sd.items() if k.startswith(prefix)})
    os.makedirs(out, exist_ok=True)
    safetensors.torch.save_file(diffusers, os.path.join(out, "vae_diffusers.safetensors"))
    vae = comfy.sd.VAE(sd=comfy.utils.load_torch_file(os.path.join(out, "vae_diffusers.safetensors")), config=tiny_models.VAE_CONFIG)
    torch.set_num_threads(2)
    ref = comfy.utils.load_torch_file(os.path.join(bootstrap.GOLDEN, "vae", "data.safetensors"))

    def compute():
        with torch.inference_mode():
            return {"latent": ref["latent"], "image": ref["image"], "decoded_image": vae.decode(ref["latent"]),
                    "encoded_latent": vae.encode(ref["image"])}

    t = compute()
    m = bootstrap.base_manifest(case, "The tiny SD1.5 VAE in the diffusers layout, through ComfyUI's VAE loader", "gen_vae_diffusers.py")
    m["vae_file"] = "vae_diffusers/vae_diffusers.safetensors"
    bootstrap.write_case(out, m, t, compute)


if __name__ == "__main__":
    main()
