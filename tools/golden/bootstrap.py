"""Bootstrap shared by every generator: puts a ComfyUI tree (pinned commit) and the Python
dependencies on sys.path, starts ComfyUI's CLI arguments the way the goldens were made
(``--cpu --force-fp32 --fp32-text-enc --fp32-vae --use-split-cross-attention``), and writes
cases (safetensors + manifest.json).

Nothing of ComfyUI is copied here: ``import comfy...`` resolves into the tree named by
``COMFYUI_DIR``.  Environment:

  COMFYUI_DIR    ComfyUI checkout at COMFYUI_COMMIT (default /tmp/comfyui)
  GOLDEN_DEPS    colon-separated folders with the pure-Python dependencies that Debian 12 lacks
                 (einops, torchsde, trampoline, safetensors' Python package, transformers,
                 huggingface_hub; default /tmp/deps)
  GOLDEN_THREADS torch.set_num_threads value (default 2, as for the goldens)
  GOLDEN_OPENBLAS_CORETYPE  OpenBLAS kernel set to use for every case (default: per case, below)

OpenBLAS: Debian's torch does its matrix products (Linear, attention) with OpenBLAS, which picks
its kernels by CPU (SkylakeX, Zen, Haswell, ...); each kernel set sums in another order and moves
the last bits (~1e-6 on the CLIP encodings).  The goldens in testdata/golden come out bit-exact
with OpenBLAS' generic ``Prescott`` kernels (SSE3), except ksampler_sd15_more and lora_formats,
made with the AVX-512 ``Cooperlake`` kernels (SkylakeX also reproduces ksampler_sd15_more but
leaves ~1e-6 on lora_formats' eps), see OPENBLAS_BY_CASE, so the harness sets OPENBLAS_CORETYPE per case
(overriding one in the environment; GOLDEN_OPENBLAS_CORETYPE chooses one for all).  It must be
set before torch is imported, so each generator runs one case family per process.
"""
import importlib.util
import json
import os
import sys

COMFYUI_COMMIT = "a125cd84b054a57729b5eecab930ca9408719832"
TORCH_EXPECTED = "1.13.0a0"   # Debian's python3-torch 1.13.1+dfsg reports this
OPENBLAS_CORETYPE = "Prescott"
OPENBLAS_BY_CASE = {"ksampler_sd15_more": "Cooperlake", "lora_formats": "Cooperlake"}
COMFY_ARGS = ["--cpu", "--force-fp32", "--fp32-text-enc", "--fp32-vae", "--use-split-cross-attention"]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(REPO, "testdata", "golden")
COMFY_DESC = "ComfyUI repository (github.com/Comfy-Org/ComfyUI) at commit " + COMFYUI_COMMIT

_started = False


def _install_safetensors_shim():
    """safetensors' Python package imports its Rust extension; Debian 12 has neither, so the
    Python package comes from GOLDEN_DEPS and the extension is replaced by safetensors_py
    (file-format I/O only, see that module)."""
    if "safetensors._safetensors_rust" in sys.modules:
        return
    try:
        import importlib
        importlib.import_module("safetensors._safetensors_rust")
        return  # a real safetensors install: use it
    except Exception:
        pass
    spec = importlib.util.spec_from_file_location("safetensors._safetensors_rust",
                                                  os.path.join(HERE, "safetensors_py.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.modules["safetensors._safetensors_rust"] = mod


# Tokenizer classes that ComfyUI imports at module level for other model families (Hunyuan,
# T5, Qwen, ByT5) but that no SD1.5/SDXL computation touches.  transformers 4.21 (the newest
# whose source this harness can use, see README) lacks some and its fast tokenizers need the
# Rust `tokenizers` package; these names get a placeholder that fails loudly if ever called.
# CLIPTokenizer, the one SD1.5/SDXL use, is never stubbed.
UNUSED_TOKENIZERS = ["LlamaTokenizerFast", "T5TokenizerFast", "Qwen2Tokenizer", "ByT5Tokenizer", "BertTokenizer"]


def _stub_unused_tokenizers():
    import transformers
    for name in UNUSED_TOKENIZERS:
        try:
            getattr(transformers, name)
            continue
        except Exception:
            pass
        setattr(transformers, name, _placeholder(name))
    # the Rust `tokenizers` package (ACE-Step's text encoder imports `tokenizers.Tokenizer` at
    # module level).  Installed after transformers has looked for it, so transformers still
    # sees it as absent and CLIPTokenizer stays the pure-Python one.
    if importlib.util.find_spec("tokenizers") is None:
        import types
        mod = types.ModuleType("tokenizers")
        mod.__doc__ = "golden-harness placeholder: not used by SD1.5/SDXL"
        mod.Tokenizer = _placeholder("tokenizers.Tokenizer")
        sys.modules["tokenizers"] = mod


def _fix_added_token_str():
    """transformers 4.21 without the Rust `tokenizers` package falls back to a dataclass
    AddedToken that lacks ``__str__``, so special tokens read from ComfyUI's
    sd1_tokenizer/tokenizer_config.json ("__type": "AddedToken") are looked up by their repr and
    a bogus id 49408 gets added.  Later transformers (and tokenizers.AddedToken, which ComfyUI
    normally gets) return the content; this gives the fallback class the same ``__str__``."""
    import transformers.tokenization_utils_base as tub
    if getattr(tub.AddedToken, "__module__", "").startswith("transformers") and "__str__" not in vars(tub.AddedToken):
        tub.AddedToken.__str__ = lambda self: self.content


def _placeholder(name):
    def _fail(*a, **k):
        raise RuntimeError("%s is a golden-harness placeholder (not used by SD1.5/SDXL)" % name)
    return type(name.split(".")[-1], (), {"__init__": _fail, "from_pretrained": staticmethod(_fail),
                                          "from_file": staticmethod(_fail)})


def start(case=None, threads=None):
    """Make ``import comfy`` work for generating ``case``; idempotent."""
    global _started
    if _started:
        return
    if "torch" in sys.modules:
        print("warning: torch was imported before bootstrap.start(); OpenBLAS kernels not pinned", file=sys.stderr)
    os.environ["OPENBLAS_CORETYPE"] = os.environ.get("GOLDEN_OPENBLAS_CORETYPE") or OPENBLAS_BY_CASE.get(case, OPENBLAS_CORETYPE)
    comfy_dir = os.environ.get("COMFYUI_DIR", "/tmp/comfyui")
    if not os.path.isfile(os.path.join(comfy_dir, "comfy", "samplers.py")):
        sys.exit("COMFYUI_DIR=%s is not a ComfyUI tree (see tools/golden/README.md)" % comfy_dir)
    deps = [d for d in os.environ.get("GOLDEN_DEPS", "/tmp/deps").split(":") if d]
    for d in reversed(deps):
        if d not in sys.path:
            sys.path.insert(0, d)
    sys.path.insert(0, comfy_dir)
    _install_safetensors_shim()
    _stub_unused_tokenizers()
    _fix_added_token_str()
    import torch
    torch.set_num_threads(int(threads or os.environ.get("GOLDEN_THREADS", "2")))
    if torch.__version__ != TORCH_EXPECTED:
        print("warning: torch %s, the goldens were made with %s" % (torch.__version__, TORCH_EXPECTED), file=sys.stderr)
    argv = sys.argv
    sys.argv = [os.path.join(comfy_dir, "main.py")] + COMFY_ARGS
    import comfy.options
    comfy.options.enable_args_parsing()
    import comfy.cli_args  # parses sys.argv now
    sys.argv = argv
    import logging
    logging.basicConfig(level=logging.WARNING)
    _started = True


def torch_version():
    import torch
    return torch.__version__


def base_manifest(case, description, script):
    return {
        "case": case,
        "description": description,
        "comfyui": COMFY_DESC,
        "torch_version": torch_version(),
        "device": "cpu",
        "dtype": "float32",
        "generator_script": "tools/golden/" + script,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "(OpenBLAS' own choice)"),
    }


def save_tensors(path, tensors):
    """Write {name: tensor} with ComfyUI's own writer (comfy.utils.save_torch_file)."""
    import comfy.utils
    os.makedirs(os.path.dirname(path), exist_ok=True)
    comfy.utils.save_torch_file({k: v.detach().cpu().clone().contiguous() for k, v in tensors.items()}, path)


def files_entry(tensors):
    return {k: {"shape": list(v.shape), "dtype": str(v.dtype).split(".")[-1]} for k, v in sorted(tensors.items())}


def write_manifest(folder, manifest):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


def golden_manifest(case):
    with open(os.path.join(GOLDEN, case, "manifest.json")) as f:
        return json.load(f)


def copy_reference(manifest, case, keys):
    """Copies these fields of testdata's manifest for the case (descriptions, notes) where it has them."""
    try:
        ref = golden_manifest(case)
    except OSError:
        return
    for k in keys:
        if k in ref:
            manifest[k] = ref[k]


def rerun_tolerance(tensors, compute_again):
    """The manifest's rerun tolerance: the same computation with 1 thread instead of 2, per tensor.

    None when GOLDEN_RERUN=0 (the regeneration is then about twice as fast and writes no tolerance).
    """
    if os.environ.get("GOLDEN_RERUN", "1") == "0":
        return None
    import torch
    torch.set_num_threads(1)
    try:
        again = compute_again()
    finally:
        torch.set_num_threads(2)
    per = {k: {"max_abs_diff": float((tensors[k].double() - again[k].double()).abs().max()),
               "max_abs_value": float(tensors[k].double().abs().max())} for k in tensors}
    return {"method": "same computation re-run in float32 with torch.set_num_threads(1) vs 2",
            "max_abs_diff": max(v["max_abs_diff"] for v in per.values()), "per_tensor": per}


def write_case(folder, manifest, tensors, compute_again):
    """A case's data.safetensors and manifest.json: the rerun tolerance (see rerun_tolerance), the tensors'
    shapes and dtypes under "files", then both files."""
    tolerance = rerun_tolerance(tensors, compute_again)
    if tolerance is not None:
        manifest["tolerance"] = tolerance
    manifest["files"] = {"data.safetensors": files_entry(tensors)}
    save_tensors(os.path.join(folder, "data.safetensors"), tensors)
    write_manifest(folder, manifest)


def out_dir(argv=None):
    """The output root: first argument, else $GOLDEN_OUT; never testdata/golden."""
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.environ.get("GOLDEN_OUT")
    if not out:
        sys.exit("usage: %s OUT_DIR" % os.path.basename(sys.argv[0]))
    if os.path.realpath(out).startswith(os.path.realpath(GOLDEN)):
        sys.exit("refusing to write into testdata/golden: generate into a temp folder and compare")
    return out
