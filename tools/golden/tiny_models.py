"""The tiny SD1.5 / SDXL models of testdata/golden/models, loaded through ComfyUI's own loader.

ComfyUI's model detection only knows the real model sizes, so two configs (subclasses of
ComfyUI's ``supported_models.SD15`` / ``SDXL`` whose ``unet_config`` names the tiny sizes) are
put at the front of ``comfy.supported_models.models``; the checkpoint is then loaded with
``comfy.sd.load_checkpoint_guess_config`` (what CheckpointLoaderSimple calls) with the tiny CLIP
sizes passed through ``te_model_options`` (``clip_l_model_config`` / ``clip_g_model_config``).
ComfyUI's VAE auto-detection hard-codes the full-size VAE, so the VAE is built with
``comfy.sd.VAE(sd, config=VAE_CONFIG)`` from the checkpoint's ``first_stage_model.*`` keys.
"""
import os

import bootstrap

SD15_UNET = {"context_dim": 32, "model_channels": 32, "use_linear_in_transformer": False,
             "adm_in_channels": None, "use_temporal_attention": False}
SDXL_UNET = {"model_channels": 32, "use_linear_in_transformer": True, "transformer_depth": [0, 0, 2, 2],
             "context_dim": 64, "adm_in_channels": 1568, "use_temporal_attention": False}
SDXL_UNET_EXTRA = {"num_heads": -1, "num_head_channels": 32}
CLIP_L = {"hidden_size": 32, "intermediate_size": 128, "num_attention_heads": 4, "num_hidden_layers": 3,
          "projection_dim": 32, "vocab_size": 49408, "max_position_embeddings": 77,
          "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05}
CLIP_G = dict(CLIP_L, hidden_act="gelu")
VAE_CONFIG = {"params": {"embed_dim": 4, "ddconfig": {
    "double_z": True, "z_channels": 4, "resolution": 256, "in_channels": 3, "out_ch": 3, "ch": 32,
    "ch_mult": [1, 2, 2, 2], "num_res_blocks": 1, "attn_resolutions": [], "dropout": 0.0}}}

MODELS = os.path.join(bootstrap.GOLDEN, "models")
_registered = False


def register():
    """Put the tiny configs first in ComfyUI's detection list (idempotent)."""
    global _registered
    if _registered:
        return
    bootstrap.start()
    import comfy.supported_models as sm

    class SD15Tiny(sm.SD15):
        unet_config = dict(SD15_UNET)

    class SDXLTiny(sm.SDXL):
        unet_config = dict(SDXL_UNET)
        unet_extra_config = dict(SDXL_UNET_EXTRA)  # SDXL's own says num_head_channels 64

    sm.models.insert(0, SDXLTiny)
    sm.models.insert(0, SD15Tiny)
    _registered = True


def model_path(name):
    return os.path.join(MODELS, name)


def load_checkpoint(path, output_vae=True, output_clip=True, embedding_directory=None):
    """(model_patcher, clip, vae) the way CheckpointLoaderSimple gives them, with the tiny sizes
    (and CheckpointLoaderSimple's embeddings folder when one is given)."""
    register()
    import comfy.sd
    import comfy.utils
    te = {"clip_l_model_config": dict(CLIP_L), "clip_g_model_config": dict(CLIP_G)}
    model, clip, _, _ = comfy.sd.load_checkpoint_guess_config(path, output_vae=False, output_clip=output_clip,
                                                              embedding_directory=embedding_directory, te_model_options=te)[:4]
    vae = load_vae(path) if output_vae else None
    return model, clip, vae


def load_vae(path):
    import comfy.sd
    import comfy.utils
    sd = comfy.utils.load_torch_file(path)
    prefix = "first_stage_model."
    vae_sd = {k[len(prefix):]: v for k, v in sd.items() if k.startswith(prefix)}
    return comfy.sd.VAE(sd=vae_sd, config=VAE_CONFIG)
