"""Case embeddings: textual-inversion embeddings in prompts, through ComfyUI's SDTokenizer and text encoders.

    gen_embeddings.py OUT_DIR      (writes OUT_DIR/embeddings/)

The embedding files are made here, beside the data, in the three layouts people have:
tiny_neg.safetensors (AUTOMATIC1111's "emb_params", 3 vectors), tiny_pt.pt (the original
textual_inversion .pt: {"string_to_param": {"*": ...}, "name", "step"}, 2 vectors, saved by
torch.save) and tiny_xl.safetensors (SDXL's "clip_l" and "clip_g", 2 vectors each). The vectors are
32 wide: the tiny models' CLIP-L and bigG are both 32 wide. ComfyUI loads them from the folder given
to load_checkpoint_guess_config (CheckpointLoaderSimple's embeddings folder).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models

PROMPTS = {
    "plain": "a photo of embedding:tiny_neg a cat",
    "weighted": "(embedding:tiny_neg:1.3), a cat, (embedding:tiny_pt.pt:0.7) in a hat",
    "comma": "embedding:tiny_pt, blurry",
    "missing": "a cat embedding:not_there here",
    "xl": "a dog, embedding:tiny_xl",
}
CASES = {"sd15": ("sd15_tiny.safetensors", ["plain", "weighted", "comma", "missing"]),
         "sdxl": ("sdxl_tiny.safetensors", ["plain", "weighted", "xl"])}


def make_embeddings(folder):
    import torch
    import safetensors.torch
    os.makedirs(folder, exist_ok=True)
    g = torch.Generator().manual_seed(20261206)
    safetensors.torch.save_file({"emb_params": torch.randn(3, 32, generator=g)}, os.path.join(folder, "tiny_neg.safetensors"))
    torch.save({"string_to_param": {"*": torch.randn(2, 32, generator=g)}, "name": "tiny_pt", "step": 100},
               os.path.join(folder, "tiny_pt.pt"))
    safetensors.torch.save_file({"clip_l": torch.randn(2, 32, generator=g), "clip_g": torch.randn(2, 32, generator=g)},
                                os.path.join(folder, "tiny_xl.safetensors"))


def tensors(clips):
    import torch
    t = {}
    for family, (model, prompts) in CASES.items():
        clip = clips[family]
        for p in prompts:
            tokens = clip.tokenize(PROMPTS[p])
            for enc, chunks in sorted(tokens.items()):
                # an embedding's slot holds its vector: its token id is written as -1
                t["%s_%s_tokens_%s" % (family, p, enc)] = torch.tensor(
                    [[tok if isinstance(tok, int) else -1 for tok, w in c] for c in chunks], dtype=torch.int64)
                t["%s_%s_weights_%s" % (family, p, enc)] = torch.tensor([[w for tok, w in c] for c in chunks], dtype=torch.float32)
            cond, pooled = clip.encode_from_tokens(tokens, return_pooled=True)
            t["%s_%s_cond" % (family, p)] = cond
            if family == "sdxl":
                t["%s_%s_pooled" % (family, p)] = pooled
    return t


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    case = "embeddings"
    out = os.path.join(bootstrap.out_dir(sys.argv[1:2]), case)
    bootstrap.start(case)
    import torch
    folder = os.path.join(out, "embeddings")
    make_embeddings(folder)
    clips = {}
    for family, (model, _) in CASES.items():
        _, clips[family], _ = tiny_models.load_checkpoint(tiny_models.model_path(model), output_vae=False, embedding_directory=folder)
    torch.set_num_threads(2)
    t = tensors(clips)
    m = bootstrap.base_manifest(case, "Textual-inversion embeddings in prompts: ComfyUI's tokenizer and text encoders of the tiny checkpoints",
                                "gen_embeddings.py")
    m["prompts"] = PROMPTS
    m["cases"] = {f: {"model": "models/" + model, "prompts": prompts} for f, (model, prompts) in CASES.items()}
    m["embeddings"] = sorted(os.listdir(folder))
    bootstrap.write_case(out, m, t, lambda: tensors(clips))


if __name__ == "__main__":
    main()
