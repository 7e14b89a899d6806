#!/usr/bin/python3
"""Small LoRA fixtures for the tiny golden models, with the weights ComfyUI would patch from them.

Run with /usr/bin/python3 (torch 1.13, numpy) from anywhere; it reads
testdata/golden/models/{sd15,sdxl}_tiny.safetensors and writes, next to itself:

  <case>.safetensors   a LoRA file (LoHa, LoKr, diffusers/PEFT spellings, DoRA, LoCon with a Tucker
                       mid, whole-tensor diffs, an SDXL kohya LoRA with both text encoders, one that
                       matches nothing)
  expected.safetensors "<case>/<checkpoint key>": the patched weights, float32
  expected.json        per case: model, LoRA file, strengths, patched keys, keys that patch nothing

The expected weights are computed with a re-implementation, in torch and float32, of the formulas of
ComfyUI (github.com/Comfy-Org/ComfyUI at a125cd84b054a57729b5eecab930ca9408719832, Oct 2025):
comfy/weight_adapter/lora.py, loha.py, lokr.py, base.py (weight_decompose with wd_on_output) and
comfy/lora.py calculate_weight ("diff"). Targets are written out by hand below (ComfyUI's key maps
are what the Java code under test implements): each stem names the checkpoint weight it patches. For
SDXL's OpenCLIP bigG, ComfyUI splits attn.in_proj_weight into q/k/v before patching; the script does
the same and stacks the result back into the checkpoint's layout.
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", ".."))
MODELS = os.path.join(ROOT, "testdata", "golden", "models")

# ---------------------------------------------------------------- safetensors, without the library

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__" or v["dtype"] not in DTYPES:
            continue
        a, b = v["data_offsets"]
        arr = np.frombuffer(data[8 + n + a:8 + n + b], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
        out[k] = torch.from_numpy(arr.astype(np.float32))
    return out


def write_safetensors(path, tensors, dtype="F32"):
    """tensors: an ordered dict name -> torch tensor, written in that order as F32 (or F16)."""
    header = {}
    blobs = []
    offset = 0
    for k, t in tensors.items():
        arr = t.detach().numpy().astype(DTYPES[dtype])
        raw = arr.tobytes()
        header[k] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def as_stored(t, dtype):
    """The value a reader gets back from a tensor written as dtype."""
    return t.to(torch.float16).to(torch.float32) if dtype == "F16" else t.clone()


# ---------------------------------------------------------------- ComfyUI's formulas, float32


def weight_decompose(dora_scale, weight, lora_diff, alpha, strength):
    """comfy/weight_adapter/base.py weight_decompose (function = identity)."""
    dora_scale = dora_scale.float()
    lora_diff *= alpha
    weight_calc = weight + lora_diff
    wd_on_output_axis = dora_scale.shape[0] == weight_calc.shape[0]
    if wd_on_output_axis:
        weight_norm = weight.reshape(weight.shape[0], -1).norm(dim=1, keepdim=True).reshape(
            weight.shape[0], *[1] * (weight.dim() - 1))
    else:
        weight_norm = (weight_calc.transpose(0, 1).reshape(weight_calc.shape[1], -1).norm(dim=1, keepdim=True)
                       .reshape(weight_calc.shape[1], *[1] * (weight_calc.dim() - 1)).transpose(0, 1))
    weight_norm = weight_norm + torch.finfo(weight.dtype).eps
    weight_calc *= (dora_scale / weight_norm).type(weight.dtype)
    if strength != 1.0:
        weight_calc -= weight
        weight += strength * weight_calc
    else:
        weight[:] = weight_calc
    return weight


def lora_calculate(weight, strength, up, down, alpha, mid=None, dora_scale=None):
    """comfy/weight_adapter/lora.py LoRAAdapter.calculate_weight."""
    mat1 = up.float()
    mat2 = down.float()
    a = alpha / mat2.shape[0] if alpha is not None else 1.0
    if mid is not None:
        mat3 = mid.float()
        final_shape = [mat2.shape[1], mat2.shape[0], mat3.shape[2], mat3.shape[3]]
        mat2 = torch.mm(mat2.transpose(0, 1).flatten(start_dim=1),
                        mat3.transpose(0, 1).flatten(start_dim=1)).reshape(final_shape).transpose(0, 1)
    lora_diff = torch.mm(mat1.flatten(start_dim=1), mat2.flatten(start_dim=1)).reshape(weight.shape)
    if dora_scale is not None:
        return weight_decompose(dora_scale, weight, lora_diff, a, strength)
    weight += ((strength * a) * lora_diff).type(weight.dtype)
    return weight


def loha_calculate(weight, strength, w1a, w1b, w2a, w2b, alpha, t1=None, t2=None, dora_scale=None):
    """comfy/weight_adapter/loha.py LoHaAdapter.calculate_weight."""
    a = alpha / w1b.shape[0] if alpha is not None else 1.0
    if t1 is not None:
        m1 = torch.einsum("i j k l, j r, i p -> p r k l", t1.float(), w1b.float(), w1a.float())
        m2 = torch.einsum("i j k l, j r, i p -> p r k l", t2.float(), w2b.float(), w2a.float())
    else:
        m1 = torch.mm(w1a.float(), w1b.float())
        m2 = torch.mm(w2a.float(), w2b.float())
    lora_diff = (m1 * m2).reshape(weight.shape)
    if dora_scale is not None:
        return weight_decompose(dora_scale, weight, lora_diff, a, strength)
    weight += ((strength * a) * lora_diff).type(weight.dtype)
    return weight


def lokr_calculate(weight, strength, w1=None, w2=None, alpha=None, w1_a=None, w1_b=None, w2_a=None, w2_b=None, t2=None,
                   dora_scale=None):
    """comfy/weight_adapter/lokr.py LoKrAdapter.calculate_weight."""
    dim = None
    if w1 is None:
        dim = w1_b.shape[0]
        w1 = torch.mm(w1_a.float(), w1_b.float())
    else:
        w1 = w1.float()
    if w2 is None:
        dim = w2_b.shape[0]
        if t2 is None:
            w2 = torch.mm(w2_a.float(), w2_b.float())
        else:
            w2 = torch.einsum("i j k l, j r, i p -> p r k l", t2.float(), w2_b.float(), w2_a.float())
    else:
        w2 = w2.float()
    if len(w2.shape) == 4:
        w1 = w1.unsqueeze(2).unsqueeze(2)
    a = alpha / dim if alpha is not None and dim is not None else 1.0
    # torch's kron views its operands (a Tucker w2 never gets here: see lokr())
    lora_diff = torch.kron(w1.contiguous(), w2.contiguous()).reshape(weight.shape)
    if dora_scale is not None:
        return weight_decompose(dora_scale, weight, lora_diff, a, strength)
    weight += ((strength * a) * lora_diff).type(weight.dtype)
    return weight


def diff_calculate(weight, strength, diff):
    """comfy/lora.py calculate_weight, patch type "diff"."""
    if strength != 0.0:
        weight += strength * diff.float()
    return weight


# ---------------------------------------------------------------- cases

gen = torch.Generator().manual_seed(20251012)


def randn(*shape, scale=0.1):
    return torch.randn(*shape, generator=gen) * scale


class Case:
    """One LoRA file and the weights it patches. Entries are added as (stem, {suffix: tensor}, patch)."""

    def __init__(self, name, model, strength_model, strength_clip, dtype="F32"):
        self.name = name
        self.model = model
        self.strength_model = strength_model
        self.strength_clip = strength_clip
        self.dtype = dtype
        self.tensors = {}
        self.patches = []  # (checkpoint key, component, rows or None, function(weight, strength) -> weight)
        self.unmatched = []

    def put(self, key, t):
        self.tensors[key] = t
        return as_stored(t, self.dtype)

    def alpha(self, stem, value):
        if value is None:
            return None
        self.put(stem + ".alpha", torch.tensor(float(value)))
        return float(as_stored(torch.tensor(float(value)), self.dtype).item())  # lora[alpha_name].item()

    def patch(self, key, component, fn, rows=None):
        self.patches.append((key, component, rows, fn))

    def nothing(self, key, t):
        """A key that patches nothing (ComfyUI: lora key not loaded)."""
        self.put(key, t)
        self.unmatched.append(key)


def lora(case, stem, key, component, up_shape, down_shape, alpha=None, mid_shape=None, dora_shape=None,
         spelling=(".lora_up.weight", ".lora_down.weight", ".lora_mid.weight"), rows=None):
    up = case.put(stem + spelling[0], randn(*up_shape))
    down = case.put(stem + spelling[1], randn(*down_shape))
    mid = case.put(stem + spelling[2], randn(*mid_shape)) if mid_shape else None
    a = case.alpha(stem, alpha)
    dora = None
    if dora_shape:
        dora = case.put(stem + ".dora_scale", 1.0 + randn(*dora_shape, scale=0.5).abs())
    case.patch(key, component, lambda w, s: lora_calculate(w, s, up, down, a, mid, dora), rows)


def loha(case, stem, key, component, w1a, w1b, w2a, w2b, alpha=None, t=None, dora_shape=None):
    f = {n: case.put(stem + ".hada_" + n, randn(*s, scale=0.4)) for n, s in
         (("w1_a", w1a), ("w1_b", w1b), ("w2_a", w2a), ("w2_b", w2b))}
    t1 = case.put(stem + ".hada_t1", randn(*t, scale=0.4)) if t else None
    t2 = case.put(stem + ".hada_t2", randn(*t, scale=0.4)) if t else None
    a = case.alpha(stem, alpha)
    dora = case.put(stem + ".dora_scale", 1.0 + randn(*dora_shape, scale=0.5).abs()) if dora_shape else None
    case.patch(key, component, lambda w, s: loha_calculate(w, s, f["w1_a"], f["w1_b"], f["w2_a"], f["w2_b"], a, t1, t2, dora))


def lokr(case, stem, key, component, alpha=None, **shapes):
    f = {n: case.put(stem + ".lokr_" + n, randn(*s, scale=0.3)) for n, s in shapes.items()}
    a = case.alpha(stem, alpha)
    if "t2" in f:
        # ComfyUI's torch.kron fails on the einsum's non-contiguous Tucker rebuild (pytorch#54135, #185650,
        # still open): it logs "ERROR lokr", the weight stays unpatched (golden lora_formats README).
        # Stipple does the same and reports the module's keys as not loaded.
        case.unmatched += [stem + ".lokr_" + n for n in f] + ([stem + ".alpha"] if alpha is not None else [])
        return
    case.patch(key, component, lambda w, s: lokr_calculate(
        w, s, f.get("w1"), f.get("w2"), a, f.get("w1_a"), f.get("w1_b"), f.get("w2_a"), f.get("w2_b"), f.get("t2")))


def diff(case, lora_key, key, component, shape, rows=None):
    d = case.put(lora_key, randn(*shape))
    case.patch(key, component, lambda w, s: diff_calculate(w, s, d), rows)


U = "model.diffusion_model."
C1 = "cond_stage_model.transformer.text_model.encoder.layers."
XL_L = "conditioner.embedders.0.transformer.text_model.encoder.layers."
XL_G = "conditioner.embedders.1.model.transformer.resblocks."


def sd15_cases():
    cases = []

    c = Case("loha", "sd15_tiny", 0.75, 1.25, dtype="F16")
    loha(c, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k",
         U + "input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight", "unet", (32, 4), (4, 32), (32, 4), (4, 32), alpha=3)
    loha(c, "lora_unet_down_blocks_0_resnets_0_conv2", U + "input_blocks.1.0.out_layers.3.weight", "unet",
         (32, 4), (4, 288), (32, 4), (4, 288))
    loha(c, "lora_unet_down_blocks_0_resnets_0_conv1", U + "input_blocks.1.0.in_layers.2.weight", "unet",
         (4, 32), (4, 32), (4, 32), (4, 32), alpha=2, t=(4, 4, 3, 3))
    loha(c, "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k",
         U + "input_blocks.3.1.transformer_blocks.0.attn2.to_k.weight", "unet", (64, 2), (2, 32), (64, 2), (2, 32), alpha=1)
    loha(c, "lora_te_text_model_encoder_layers_1_mlp_fc2", C1 + "1.mlp.fc2.weight", "clip",
         (32, 2), (2, 128), (32, 2), (2, 128), alpha=1)
    cases.append(c)

    c = Case("lokr", "sd15_tiny", 1.0, 0.6)
    lokr(c, "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_q",
         U + "middle_block.1.transformer_blocks.0.attn2.to_q.weight", "unet", alpha=4, w1=(8, 8), w2=(8, 8))
    lokr(c, "lora_unet_up_blocks_0_attentions_0_proj_out", U + "output_blocks.0.1.proj_out.weight", "unet",
         alpha=3, w1=(4, 4), w2_a=(16, 2), w2_b=(2, 16))
    lokr(c, "lora_unet_down_blocks_0_resnets_0_conv2", U + "input_blocks.1.0.out_layers.3.weight", "unet",
         alpha=5, w1_a=(4, 1), w1_b=(1, 4), t2=(2, 2, 3, 3), w2_a=(2, 8), w2_b=(2, 8))
    lokr(c, "lora_te_text_model_encoder_layers_2_self_attn_out_proj", C1 + "2.self_attn.out_proj.weight", "clip",
         alpha=1.5, w1_a=(4, 2), w1_b=(2, 4), w2=(8, 8))
    cases.append(c)

    c = Case("peft", "sd15_tiny", 0.9, 0.7)
    lora(c, "unet.down_blocks.0.attentions.0.proj_in", U + "input_blocks.1.1.proj_in.weight", "unet",
         (32, 4, 1, 1), (4, 32, 1, 1), spelling=(".lora_B.weight", ".lora_A.weight", None))
    lora(c, "unet.mid_block.attentions.0.transformer_blocks.0.attn1.processor.to_q",
         U + "middle_block.1.transformer_blocks.0.attn1.to_q.weight", "unet", (64, 4), (4, 64),
         spelling=("_lora.up.weight", "_lora.down.weight", None))
    lora(c, "unet.up_blocks.1.attentions.1.transformer_blocks.0.attn1.processor.to_out",
         U + "output_blocks.3.1.transformer_blocks.0.attn1.to_out.0.weight", "unet", (32, 4), (4, 32),
         spelling=("_lora.up.weight", "_lora.down.weight", None))
    lora(c, "down_blocks.0.attentions.0.transformer_blocks.0.ff.net.2",
         U + "input_blocks.1.1.transformer_blocks.0.ff.net.2.weight", "unet", (32, 4), (4, 128),
         spelling=(".lora.up.weight", ".lora.down.weight", None))
    lora(c, "diffusion_model.output_blocks.0.0.emb_layers.1", U + "output_blocks.0.0.emb_layers.1.weight", "unet",
         (64, 4), (4, 128), spelling=(".lora_B.default.weight", ".lora_A.default.weight", None))
    lora(c, "lora_unet_time_embedding_linear_1", U + "time_embed.0.weight", "unet", (128, 4), (4, 32),
         spelling=(".lora_linear_layer.up.weight", ".lora_linear_layer.down.weight", None))
    lora(c, "lycoris_down_blocks_0_resnets_0_time_emb_proj", U + "input_blocks.1.0.emb_layers.1.weight", "unet",
         (32, 4), (4, 128), alpha=2, spelling=(".lora_B", ".lora_A", None))
    lora(c, "text_encoder.text_model.encoder.layers.1.self_attn.v_proj", C1 + "1.self_attn.v_proj.weight", "clip",
         (32, 4), (4, 32), spelling=(".lora_B.weight", ".lora_A.weight", None))
    lora(c, "text_encoders.clip_l.transformer.text_model.encoder.layers.0.mlp.fc1", C1 + "0.mlp.fc1.weight", "clip",
         (128, 4), (4, 32), spelling=(".lora_B.weight", ".lora_A.weight", None))
    # PEFT's own name for an attention projection: ComfyUI's SD1.x key map has only the processor spelling
    c.nothing("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", randn(4, 32))
    c.nothing("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", randn(32, 4))
    cases.append(c)

    c = Case("dora", "sd15_tiny", 1.0, 0.6)
    lora(c, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v",
         U + "input_blocks.1.1.transformer_blocks.0.attn2.to_v.weight", "unet", (32, 4), (4, 32), alpha=2, dora_shape=(1, 32))
    lora(c, "lora_unet_up_blocks_1_attentions_1_transformer_blocks_0_ff_net_2",
         U + "output_blocks.3.1.transformer_blocks.0.ff.net.2.weight", "unet", (32, 4), (4, 128), alpha=4,
         dora_shape=(32, 1))
    lora(c, "lora_unet_up_blocks_1_resnets_1_conv2", U + "output_blocks.3.0.out_layers.3.weight", "unet",
         (32, 4, 1, 1), (4, 32, 3, 3), dora_shape=(1, 32, 1, 1))
    lora(c, "lora_te_text_model_encoder_layers_0_self_attn_k_proj", C1 + "0.self_attn.k_proj.weight", "clip",
         (32, 4), (4, 32), alpha=4, dora_shape=(32, 1))
    loha(c, "lora_unet_mid_block_resnets_1_time_emb_proj", U + "middle_block.2.emb_layers.1.weight", "unet",
         (64, 2), (2, 128), (64, 2), (2, 128), alpha=2, dora_shape=(1, 128))
    cases.append(c)

    c = Case("locon_mid", "sd15_tiny", 0.8, 1.0)
    lora(c, "lora_unet_down_blocks_0_resnets_0_conv1", U + "input_blocks.1.0.in_layers.2.weight", "unet",
         (32, 4, 1, 1), (4, 32, 1, 1), alpha=2, mid_shape=(4, 4, 3, 3))
    lora(c, "lora_unet_up_blocks_0_resnets_1_conv_shortcut", U + "output_blocks.1.0.skip_connection.weight", "unet",
         (64, 4, 1, 1), (4, 96, 1, 1), alpha=1)
    lora(c, "lora_unet_input_blocks_1_0_out_layers_3", U + "input_blocks.1.0.out_layers.3.weight", "unet",
         (32, 3, 1, 1), (3, 32, 3, 3), alpha=5)
    cases.append(c)

    c = Case("diff", "sd15_tiny", 0.5, 0.25)
    diff(c, "diffusion_model.out.2.diff", U + "out.2.weight", "unet", (4, 32, 3, 3))
    diff(c, "diffusion_model.out.2.diff_b", U + "out.2.bias", "unet", (4,))
    diff(c, "lora_unet_input_blocks_1_1_norm.w_norm", U + "input_blocks.1.1.norm.weight", "unet", (32,))
    diff(c, "lora_unet_input_blocks_1_1_norm.b_norm", U + "input_blocks.1.1.norm.bias", "unet", (32,))
    diff(c, "lora_te_text_model_encoder_layers_0_self_attn_q_proj.diff_b", C1 + "0.self_attn.q_proj.bias", "clip", (32,))
    cases.append(c)

    c = Case("unknown", "sd15_tiny", 1.0, 1.0)
    c.nothing("lora_transformer_single_blocks_0_linear1.lora_up.weight", randn(96, 4))
    c.nothing("lora_transformer_single_blocks_0_linear1.lora_down.weight", randn(4, 32))
    cases.append(c)
    return cases


def sdxl_cases():
    c = Case("sdxl", "sdxl_tiny", 0.7, 0.9)
    lora(c, "lora_te1_text_model_encoder_layers_0_self_attn_q_proj", XL_L + "0.self_attn.q_proj.weight", "clip",
         (32, 4), (4, 32), alpha=2)
    lora(c, "lora_te1_text_model_encoder_layers_2_mlp_fc2", XL_L + "2.mlp.fc2.weight", "clip", (32, 4), (4, 128), alpha=3)
    for j, p in enumerate(("q", "k", "v")):
        lora(c, "lora_te2_text_model_encoder_layers_0_self_attn_%s_proj" % p, XL_G + "0.attn.in_proj_weight", "clip",
             (32, 4), (4, 32), alpha=1 + j, rows=(32 * j, 32))
    diff(c, "lora_te2_text_model_encoder_layers_0_self_attn_k_proj.diff_b", XL_G + "0.attn.in_proj_bias", "clip", (32,),
         rows=(32, 32))
    lora(c, "lora_te2_text_model_encoder_layers_1_self_attn_v_proj", XL_G + "1.attn.in_proj_weight", "clip",
         (32, 4), (4, 32), alpha=4, rows=(64, 32))
    lora(c, "lora_te2_text_model_encoder_layers_1_self_attn_out_proj", XL_G + "1.attn.out_proj.weight", "clip",
         (32, 4), (4, 32), alpha=4)
    lora(c, "lora_te2_text_model_encoder_layers_2_mlp_fc1", XL_G + "2.mlp.c_fc.weight", "clip", (128, 4), (4, 32))
    lora(c, "lora_unet_down_blocks_1_attentions_0_transformer_blocks_1_attn2_to_k",
         U + "input_blocks.4.1.transformer_blocks.1.attn2.to_k.weight", "unet", (64, 4), (4, 64), alpha=2)
    lora(c, "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k",
         U + "input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight", "unet", (64, 4), (4, 64), alpha=2)
    lora(c, "lora_unet_up_blocks_0_attentions_2_proj_in", U + "output_blocks.2.1.proj_in.weight", "unet",
         (64, 4), (4, 64), alpha=4)
    lora(c, "lora_unet_down_blocks_0_resnets_1_conv1", U + "input_blocks.2.0.in_layers.2.weight", "unet",
         (32, 4, 1, 1), (4, 32, 3, 3), alpha=4)
    lora(c, "lora_unet_add_embedding_linear_2", U + "label_emb.0.2.weight", "unet", (128, 4), (4, 128), alpha=4)
    lora(c, "lora_unet_up_blocks_0_upsamplers_0_conv", U + "output_blocks.2.2.conv.weight", "unet",
         (64, 4, 1, 1), (4, 64, 3, 3), alpha=1)
    return [c]


def expected_weights(case, base):
    """ComfyUI's calculate_weight over the case's patches (bigG q/k/v rows: patched split off, then stacked back)."""
    out = {}
    strengths = {"unet": case.strength_model, "clip": case.strength_clip}
    for key, component, rows, fn in case.patches:
        w = out.get(key, base[key].clone().float())
        if rows is None:
            w = fn(w, strengths[component])
        else:
            start, length = rows
            part = w[start:start + length].clone()
            w[start:start + length] = fn(part, strengths[component])
        out[key] = w
    return out


def main():
    models = {m: read_safetensors(os.path.join(MODELS, m + ".safetensors")) for m in ("sd15_tiny", "sdxl_tiny")}
    expected = {}
    manifest = {"generator": "make_fixtures.py", "comfyui": "a125cd84b054a57729b5eecab930ca9408719832", "cases": {}}
    for case in sd15_cases() + sdxl_cases():
        write_safetensors(os.path.join(HERE, case.name + ".safetensors"), case.tensors, case.dtype)
        weights = expected_weights(case, models[case.model])
        for k, v in weights.items():
            expected[case.name + "/" + k] = v
        manifest["cases"][case.name] = {
            "model": "models/" + case.model + ".safetensors",
            "lora": case.name + ".safetensors",
            "dtype": case.dtype,
            "strength_model": case.strength_model,
            "strength_clip": case.strength_clip,
            "patched": sorted(weights.keys()),
            "unmatched": case.unmatched,
        }
    write_safetensors(os.path.join(HERE, "expected.safetensors"), expected)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
