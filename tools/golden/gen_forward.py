"""Cases unet_sd15, unet_sdxl, vae: single network forwards of the tiny models.

    gen_forward.py OUT_DIR unet_sd15|unet_sdxl|vae

Inputs: UNet x = torch.manual_seed(10); randn([2,4,8,8]), then context randn([2,77,C]) (and for
SDXL pooled_output randn([2,32])) from the same stream; timesteps [999, 321], sigma
[14.6146, 0.75].  VAE latent = torch.manual_seed(20); randn([1,4,8,8]); the VAE's input image is
read from testdata/golden/vae (how it was made is not recorded).  GOLDEN_RERUN=0 skips the
1-thread re-run that measures the rerun tolerance.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

ADM_KWARGS = {"width": 1024, "height": 768, "crop_w": 0, "crop_h": 16, "target_width": 1024, "target_height": 768}


def unet(model, sdxl):
    import torch
    torch.manual_seed(10)
    t = {"x": torch.randn([2, 4, 8, 8]), "context": torch.randn([2, 77, 64 if sdxl else 32])}
    kw = {}
    if sdxl:
        t["pooled_output"] = torch.randn([2, 32])
        t["y"] = model.model.encode_adm(pooled_output=t["pooled_output"], **ADM_KWARGS)
        kw["y"] = t["y"]
    t["timesteps"] = torch.tensor([999.0, 321.0])
    t["sigma"] = torch.tensor([14.6146, 0.75])
    t["eps"] = model.model.diffusion_model(t["x"], timesteps=t["timesteps"], context=t["context"], **kw)
    t["apply_model_denoised"] = model.model.apply_model(t["x"], t["sigma"], c_crossattn=t["context"], **kw)
    t["sigma_to_timestep"] = model.model.model_sampling.timestep(t["sigma"]).float()
    return t


def vae_case(vae):
    import torch
    import comfy.latent_formats
    import comfy.utils
    torch.manual_seed(20)
    t = {"latent": torch.randn([1, 4, 8, 8]),
         "image": comfy.utils.load_torch_file(os.path.join(bootstrap.GOLDEN, "vae", "data.safetensors"))["image"]}
    t["decoded_image"] = vae.decode(t["latent"])
    t["decoder_raw"] = vae.first_stage_model.decode(t["latent"])
    t["encoded_latent"] = vae.encode(t["image"])
    fsm = vae.first_stage_model
    t["posterior_moments"] = fsm.quant_conv(fsm.encoder(t["image"].movedim(-1, 1) * 2.0 - 1.0))
    for name, fmt in (("sd15", comfy.latent_formats.SD15()), ("sdxl", comfy.latent_formats.SDXL())):
        t["process_in_" + name] = fmt.process_in(t["latent"])
        t["process_out_" + name] = fmt.process_out(t["latent"])
    return t


def main():
    cases = ("unet_sd15", "unet_sdxl", "vae")
    if len(sys.argv) != 3 or sys.argv[2] not in cases:
        sys.exit(__doc__)
    case = sys.argv[2]
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch
    model_file = "sdxl_tiny.safetensors" if case == "unet_sdxl" else "sd15_tiny.safetensors"
    model, _, vae = tiny_models.load_checkpoint(tiny_models.model_path(model_file), output_vae=(case == "vae"))

    def compute():
        with torch.inference_mode():
            return vae_case(vae) if case == "vae" else unet(model, case == "unet_sdxl")

    torch.set_num_threads(2)
    t = compute()
    m = bootstrap.base_manifest(case, ("VAE decode / encode / latent scaling of the tiny VAE" if case == "vae" else
                                       "UNet forward of the tiny %s model" % ("sdxl" if case == "unet_sdxl" else "sd15")),
                                "gen_forward.py")
    m["model_file"] = "models/" + model_file
    if case == "vae":
        m["vae_config"] = tiny_models.VAE_CONFIG
    else:
        m["unet_config"] = {k: v for k, v in model.model.model_config.unet_config.items() if k != "dtype"}
    if case == "unet_sdxl":
        m["encode_adm_kwargs"] = ADM_KWARGS
    bootstrap.copy_reference(m, case, ("calls", "notes"))
    tolerance = bootstrap.rerun_tolerance(t, lambda: compute())
    if tolerance is not None:
        m["tolerance"] = tolerance
    m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
    bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
    bootstrap.write_manifest(out, m)


if __name__ == "__main__":
    main()
