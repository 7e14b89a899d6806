"""Tensor names and shapes of the original single-file Stable Diffusion checkpoints.

Used by gen_checkpoint.py (beside this file). The layouts are derived from the architecture
hyper-parameters (those of ComfyUI's supported_models.SD15 / SDXL, the LDM v1-inference.yaml and
the SGM sd_xl_base.yaml), not copied from a key list:

  SD1.5 (v1-5-pruned-emaonly.safetensors)
    model.diffusion_model.*                        UNet (openaimodel.py), 686 tensors
    first_stage_model.*                            AutoencoderKL, 248 tensors
    cond_stage_model.transformer.text_model.*      CLIP ViT-L/14 text model, Hugging Face layout
    betas, alphas_cumprod, ... (12)                DDPM schedule buffers, float32 [1000]

  SDXL base 1.0 (sd_xl_base_1.0.safetensors)
    model.diffusion_model.*                        UNet with label_emb (ADM 2816), linear proj_in/out
    conditioner.embedders.0.transformer.text_model.*   CLIP ViT-L/14 text model, Hugging Face layout
    conditioner.embedders.1.model.*                OpenCLIP ViT-bigG/14 text tower, OpenCLIP layout
    first_stage_model.*                            the same AutoencoderKL as SD1.5

Each item is (name, shape, kind); kind says how gen_checkpoint.py fills it:
  "w" random weight, "b" random bias, "nw" norm weight (1), "nb" norm bias (0),
  "ids" position ids (int64 0..n-1), "sched" DDPM buffer (float32), "scale" logit_scale (ln 100).

Attention head counts are not visible in the weights (SD1.5: 8 heads; SDXL: 64-wide heads; CLIP-L:
12 heads; bigG: 20 heads), so they appear only in these comments.
"""

import numpy as np

SD15_UNET = dict(in_channels=4, out_channels=4, model_channels=320, channel_mult=(1, 2, 4, 4),
                 num_res_blocks=2, transformer_depth=(1, 1, 1, 0), transformer_depth_middle=1,
                 context_dim=768, use_linear=False, adm_in_channels=0, time_embed_mult=4)
SDXL_UNET = dict(in_channels=4, out_channels=4, model_channels=320, channel_mult=(1, 2, 4),
                 num_res_blocks=2, transformer_depth=(0, 2, 10), transformer_depth_middle=10,
                 context_dim=2048, use_linear=True, adm_in_channels=2816, time_embed_mult=4)
VAE = dict(ch=128, ch_mult=(1, 2, 4, 4), num_res_blocks=2, in_channels=3, out_ch=3,
           z_channels=4, embed_dim=4)
CLIP_L = dict(vocab=49408, max_pos=77, width=768, layers=12, mlp=3072)
OPENCLIP_BIGG = dict(vocab=49408, max_pos=77, width=1280, layers=32, mlp=5120, projection=1280)


class Layout:
    def __init__(self):
        self.items = []  # (name, shape, kind)

    def add(self, name, shape, kind):
        self.items.append((name, tuple(int(s) for s in shape), kind))

    def linear(self, p, n_out, n_in, bias=True):
        self.add(p + ".weight", (n_out, n_in), "w")
        if bias:
            self.add(p + ".bias", (n_out,), "b")

    def conv(self, p, n_out, n_in, k):
        self.add(p + ".weight", (n_out, n_in, k, k), "w")
        self.add(p + ".bias", (n_out,), "b")

    def norm(self, p, c):
        self.add(p + ".weight", (c,), "nw")
        self.add(p + ".bias", (c,), "nb")


def unet_layout(L, pre, a):
    mc, ted = a["model_channels"], a["model_channels"] * a["time_embed_mult"]
    ctx, depth = a["context_dim"], a["transformer_depth"]

    def resblock(p, cin, cout):
        L.norm(p + ".in_layers.0", cin)
        L.conv(p + ".in_layers.2", cout, cin, 3)
        L.linear(p + ".emb_layers.1", cout, ted)
        L.norm(p + ".out_layers.0", cout)
        L.conv(p + ".out_layers.3", cout, cout, 3)
        if cin != cout:
            L.conv(p + ".skip_connection", cout, cin, 1)

    def proj(p, c):
        # use_linear_in_transformer: Linear in SDXL, a 1x1 conv in SD1.x
        if a["use_linear"]:
            L.linear(p, c, c)
        else:
            L.conv(p, c, c, 1)

    def spatial_transformer(p, c, n_blocks):
        L.norm(p + ".norm", c)
        proj(p + ".proj_in", c)
        for d in range(n_blocks):
            t = f"{p}.transformer_blocks.{d}"
            L.linear(t + ".attn1.to_q", c, c, bias=False)
            L.linear(t + ".attn1.to_k", c, c, bias=False)
            L.linear(t + ".attn1.to_v", c, c, bias=False)
            L.linear(t + ".attn1.to_out.0", c, c)
            L.linear(t + ".ff.net.0.proj", 8 * c, c)  # GEGLU: 2 * (4c)
            L.linear(t + ".ff.net.2", c, 4 * c)
            L.linear(t + ".attn2.to_q", c, c, bias=False)
            L.linear(t + ".attn2.to_k", c, ctx, bias=False)
            L.linear(t + ".attn2.to_v", c, ctx, bias=False)
            L.linear(t + ".attn2.to_out.0", c, c)
            L.norm(t + ".norm1", c)
            L.norm(t + ".norm2", c)
            L.norm(t + ".norm3", c)
        proj(p + ".proj_out", c)

    L.linear(pre + "time_embed.0", ted, mc)
    L.linear(pre + "time_embed.2", ted, ted)
    if a["adm_in_channels"]:
        # num_classes "sequential": label_emb = Sequential(Sequential(Linear, SiLU, Linear))
        L.linear(pre + "label_emb.0.0", ted, a["adm_in_channels"])
        L.linear(pre + "label_emb.0.2", ted, ted)

    ib = 0
    L.conv(f"{pre}input_blocks.{ib}.0", mc, a["in_channels"], 3)
    skip_ch = [mc]
    ch = mc
    ib += 1
    for level, mult in enumerate(a["channel_mult"]):
        for _ in range(a["num_res_blocks"]):
            resblock(f"{pre}input_blocks.{ib}.0", ch, mult * mc)
            ch = mult * mc
            if depth[level]:
                spatial_transformer(f"{pre}input_blocks.{ib}.1", ch, depth[level])
            skip_ch.append(ch)
            ib += 1
        if level != len(a["channel_mult"]) - 1:
            L.conv(f"{pre}input_blocks.{ib}.0.op", ch, ch, 3)  # Downsample, stride 2
            skip_ch.append(ch)
            ib += 1

    resblock(pre + "middle_block.0", ch, ch)
    spatial_transformer(pre + "middle_block.1", ch, a["transformer_depth_middle"])
    resblock(pre + "middle_block.2", ch, ch)

    ob = 0
    for level, mult in reversed(list(enumerate(a["channel_mult"]))):
        for i in range(a["num_res_blocks"] + 1):
            cin = ch + skip_ch.pop()
            resblock(f"{pre}output_blocks.{ob}.0", cin, mult * mc)
            ch = mult * mc
            sub = 1
            if depth[level]:
                spatial_transformer(f"{pre}output_blocks.{ob}.{sub}", ch, depth[level])
                sub += 1
            if level and i == a["num_res_blocks"]:
                L.conv(f"{pre}output_blocks.{ob}.{sub}.conv", ch, ch, 3)  # Upsample
            ob += 1

    L.norm(pre + "out.0", ch)
    L.conv(pre + "out.2", a["out_channels"], ch, 3)


def vae_layout(L, pre, a=VAE):
    ch, mult, nrb = a["ch"], a["ch_mult"], a["num_res_blocks"]

    def resnet(p, cin, cout):
        L.norm(p + ".norm1", cin)
        L.conv(p + ".conv1", cout, cin, 3)
        L.norm(p + ".norm2", cout)
        L.conv(p + ".conv2", cout, cout, 3)
        if cin != cout:
            L.conv(p + ".nin_shortcut", cout, cin, 1)

    def attn(p, c):
        L.norm(p + ".norm", c)
        for n in ("q", "k", "v", "proj_out"):
            L.conv(f"{p}.{n}", c, c, 1)

    def mid(p, c):
        resnet(p + ".block_1", c, c)
        attn(p + ".attn_1", c)
        resnet(p + ".block_2", c, c)

    e = pre + "encoder"
    L.conv(e + ".conv_in", ch, a["in_channels"], 3)
    cin = ch
    for lvl, m in enumerate(mult):
        cout = ch * m
        for b in range(nrb):
            resnet(f"{e}.down.{lvl}.block.{b}", cin, cout)
            cin = cout
        if lvl != len(mult) - 1:
            L.conv(f"{e}.down.{lvl}.downsample.conv", cin, cin, 3)
    mid(e + ".mid", cin)
    L.norm(e + ".norm_out", cin)
    L.conv(e + ".conv_out", 2 * a["z_channels"], cin, 3)  # double_z

    L.conv(pre + "quant_conv", 2 * a["embed_dim"], 2 * a["z_channels"], 1)
    L.conv(pre + "post_quant_conv", a["z_channels"], a["embed_dim"], 1)

    d = pre + "decoder"
    cin = ch * mult[-1]
    L.conv(d + ".conv_in", cin, a["z_channels"], 3)
    mid(d + ".mid", cin)
    for lvl in reversed(range(len(mult))):
        cout = ch * mult[lvl]
        for b in range(nrb + 1):
            resnet(f"{d}.up.{lvl}.block.{b}", cin, cout)
            cin = cout
        if lvl != 0:
            L.conv(f"{d}.up.{lvl}.upsample.conv", cin, cin, 3)
    L.norm(d + ".norm_out", cin)
    L.conv(d + ".conv_out", a["out_ch"], cin, 3)


def hf_clip_layout(L, pre, a=CLIP_L):
    """transformers' CLIPTextModel state dict under pre ("...text_model.")."""
    w = a["width"]
    L.add(pre + "embeddings.position_embedding.weight", (a["max_pos"], w), "w")
    L.add(pre + "embeddings.position_ids", (1, a["max_pos"]), "ids")
    L.add(pre + "embeddings.token_embedding.weight", (a["vocab"], w), "w")
    for i in range(a["layers"]):
        p = f"{pre}encoder.layers.{i}"
        L.norm(p + ".layer_norm1", w)
        L.norm(p + ".layer_norm2", w)
        L.linear(p + ".mlp.fc1", a["mlp"], w)
        L.linear(p + ".mlp.fc2", w, a["mlp"])
        for n in ("k_proj", "out_proj", "q_proj", "v_proj"):
            L.linear(f"{p}.self_attn.{n}", w, w)
    L.norm(pre + "final_layer_norm", w)


def openclip_text_layout(L, pre, a=OPENCLIP_BIGG):
    """open_clip's text tower as SGM's FrozenOpenCLIPEmbedder2 stores it (the visual tower is
    dropped; attn_mask is a non-persistent buffer, so it is not in the file)."""
    w = a["width"]
    L.add(pre + "token_embedding.weight", (a["vocab"], w), "w")
    L.add(pre + "positional_embedding", (a["max_pos"], w), "w")
    for i in range(a["layers"]):
        p = f"{pre}transformer.resblocks.{i}"
        L.norm(p + ".ln_1", w)
        L.add(p + ".attn.in_proj_weight", (3 * w, w), "w")  # q, k, v stacked
        L.add(p + ".attn.in_proj_bias", (3 * w,), "b")
        L.linear(p + ".attn.out_proj", w, w)
        L.norm(p + ".ln_2", w)
        L.linear(p + ".mlp.c_fc", a["mlp"], w)
        L.linear(p + ".mlp.c_proj", w, a["mlp"])
    L.norm(pre + "ln_final", w)
    L.add(pre + "text_projection", (w, a["projection"]), "w")  # used as x @ text_projection
    L.add(pre + "logit_scale", (), "scale")


SCHEDULE_KEYS = ("betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod",
                 "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod",
                 "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod",
                 "posterior_variance", "posterior_log_variance_clipped",
                 "posterior_mean_coef1", "posterior_mean_coef2")


def schedule_buffers():
    """LDM DDPM.register_schedule, linear schedule 0.00085..0.012, 1000 steps."""
    betas = np.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=np.float64) ** 2
    alphas = 1.0 - betas
    ac = np.cumprod(alphas)
    acp = np.append(1.0, ac[:-1])
    pv = betas * (1.0 - acp) / (1.0 - ac)
    return {
        "betas": betas, "alphas_cumprod": ac, "alphas_cumprod_prev": acp,
        "sqrt_alphas_cumprod": np.sqrt(ac), "sqrt_one_minus_alphas_cumprod": np.sqrt(1 - ac),
        "log_one_minus_alphas_cumprod": np.log(1 - ac),
        "sqrt_recip_alphas_cumprod": np.sqrt(1 / ac), "sqrt_recipm1_alphas_cumprod": np.sqrt(1 / ac - 1),
        "posterior_variance": pv, "posterior_log_variance_clipped": np.log(np.maximum(pv, 1e-20)),
        "posterior_mean_coef1": betas * np.sqrt(acp) / (1 - ac),
        "posterior_mean_coef2": (1 - acp) * np.sqrt(alphas) / (1 - ac),
    }


def sd15_components(schedule=True):
    """[(component prefix, items)] of an SD1.5 checkpoint."""
    parts = []
    for prefix, build in (("model.diffusion_model.", lambda L, p: unet_layout(L, p, SD15_UNET)),
                          ("first_stage_model.", vae_layout),
                          ("cond_stage_model.transformer.text_model.", hf_clip_layout)):
        L = Layout()
        build(L, prefix)
        parts.append((prefix, L.items))
    if schedule:
        L = Layout()
        for k in SCHEDULE_KEYS:
            L.add(k, (1000,), "sched")
        parts.append(("(DDPM schedule)", L.items))
    return parts


def sdxl_components(schedule=True):
    """[(component prefix, items)] of an SDXL base checkpoint. SGM's DiffusionEngine stores no
    schedule buffers, so `schedule` is ignored."""
    parts = []
    for prefix, build in (("model.diffusion_model.", lambda L, p: unet_layout(L, p, SDXL_UNET)),
                          ("conditioner.embedders.0.transformer.text_model.", hf_clip_layout),
                          ("conditioner.embedders.1.model.", openclip_text_layout),
                          ("first_stage_model.", vae_layout)):
        L = Layout()
        build(L, prefix)
        parts.append((prefix, L.items))
    return parts


FAMILIES = {"sd15": sd15_components, "sdxl": sdxl_components}
