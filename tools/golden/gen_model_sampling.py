"""Case model_sampling: ComfyUI's ModelSamplingDiscrete table of the (tiny) SD1.5 checkpoint.
Usage: gen_model_sampling.py OUT_DIR  (writes OUT_DIR/model_sampling/)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootstrap
import tiny_models


def main():
    out = os.path.join(bootstrap.out_dir(), "model_sampling")
    bootstrap.start("model_sampling")
    model, _, _ = tiny_models.load_checkpoint(tiny_models.model_path("sd15_tiny.safetensors"), output_vae=False)
    ms = model.model.model_sampling
    t = {"sigmas": ms.sigmas.float(), "log_sigmas": ms.log_sigmas.float(),
         "sigma_min": ms.sigma_min.reshape(1).float(), "sigma_max": ms.sigma_max.reshape(1).float()}
    m = bootstrap.base_manifest("model_sampling", "ComfyUI ModelSamplingDiscrete table for SD1.5/SDXL (EPS, linear_start 0.00085, linear_end 0.012, 1000 steps, 'scaled_linear' betas computed in float64, stored as float32 buffers)", "gen_model_sampling.py")
    m["calls"] = {"sigmas": "model.model.model_sampling.sigmas", "log_sigmas": "model.model.model_sampling.log_sigmas"}
    m["tolerance"] = {"exact": "float32 buffers"}
    m["files"] = {"data.safetensors": bootstrap.files_entry(t)}
    bootstrap.save_tensors(os.path.join(out, "data.safetensors"), t)
    bootstrap.write_manifest(out, m)


if __name__ == "__main__":
    main()
