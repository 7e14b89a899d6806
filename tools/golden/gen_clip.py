"""Cases clip_sd15, clip_sdxl: ComfyUI's tokenizer (weights, chunking, padding) and text encoders.

    gen_clip.py OUT_DIR sd15|sdxl      (writes OUT_DIR/clip_<family>/)

Tokenizer: transformers' slow CLIPTokenizer (the real one, transformers 4.21 source, see README)
under ComfyUI's comfy.sd1_clip.SDTokenizer.  GOLDEN_RERUN=0 skips the 1-thread re-run.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

PROMPTS = {
    "p0": "a photo of a cat",
    "p1": "(red:1.2) apple, (blue sky:0.8) and ((a hat))",
    "p2": "",
    "p3": "an escaped \\(literal\\) paren and [brackets] are plain text",
    "p4": " ".join("word%d" % i for i in range(40)) + ", a very long prompt that needs two chunks of seventy five tokens",
}
MODELS = {"sd15": "sd15_tiny.safetensors", "sdxl": "sdxl_tiny.safetensors"}


def tensors(clip, family):
    import torch
    t = {}
    for p, text in PROMPTS.items():
        tokens = clip.tokenize(text)
        for enc, chunks in sorted(tokens.items()):
            t["%s_tokens_%s" % (p, enc)] = torch.tensor([[tok for tok, w in c] for c in chunks], dtype=torch.int64)
            t["%s_weights_%s" % (p, enc)] = torch.tensor([[w for tok, w in c] for c in chunks], dtype=torch.float32)
        cond, pooled = clip.encode_from_tokens(tokens, return_pooled=True)
        t[p + "_cond"] = cond
        if family == "sd15":
            for skip in (-2, -3):
                c = clip.clone()
                c.clip_layer(skip)
                t["%s_cond_clipskip%d" % (p, -skip)] = c.encode_from_tokens(tokens)
        else:
            t[p + "_pooled"] = pooled
            t[p + "_clip_l_hidden"] = clip.cond_stage_model.clip_l.encode_token_weights(tokens["l"])[0]
            t[p + "_clip_g_hidden"] = clip.cond_stage_model.clip_g.encode_token_weights(tokens["g"])[0]
    return t


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in MODELS:
        sys.exit(__doc__)
    family = sys.argv[2]
    case = "clip_" + family
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch
    _, clip, _ = tiny_models.load_checkpoint(tiny_models.model_path(MODELS[family]), output_vae=False)
    torch.set_num_threads(2)
    t = tensors(clip, family)
    m = bootstrap.base_manifest(case, "ComfyUI tokenizer + text encoder(s) of the tiny %s checkpoint" % family.upper(), "gen_clip.py")
    m["model_file"] = "models/" + MODELS[family]
    m["clip_configs"] = {"clip_l": tiny_models.CLIP_L} if family == "sd15" else {"clip_l": tiny_models.CLIP_L, "clip_g": tiny_models.CLIP_G}
    m["prompts"] = PROMPTS
    try:
        ref = bootstrap.golden_manifest(case)
        for k in ("calls",):
            m[k] = ref[k]
        m["notes"] = [n for n in ref.get("notes", []) if not n.startswith("Tokenizer BPE")] + [
            "Tokenizer: transformers' own slow CLIPTokenizer (transformers 4.21 source, ftfy absent path) as ComfyUI's SDTokenizer calls it; weights parsing, chunking, padding are ComfyUI's."]
    except OSError:
        pass
    bootstrap.write_case(out, m, t, lambda: tensors(clip, family))


if __name__ == "__main__":
    main()
