"""Reference schedules for SchedulerFixtureTest, computed the way ComfyUI (a125cd84) computes them.

Run with the Python that has torch 1.13 (and mpmath), from the repository root:
    /usr/bin/python3 plugins/samplers-k-diffusion/src/test/resources/io/stipple/sampling/kdiffusion/make_scheduler_fixture.py

Each scheduler is written here from ComfyUI's definition with torch float32 tensors where ComfyUI uses
them, so torch's own kernels (linspace, pow, exp, tan) give the reference values. The beta schedule's
quantiles come from mpmath at 50 digits instead of scipy. Writes scheduler_fixture.safetensors beside
this script: "<scheduler>/<steps>" float32 sigmas, "linspace/<start>_<end>_<n>" torch.linspace values,
and "beta_ppf/<n>" with the Beta(0.6, 0.6) quantiles of 1 - i/n (float64, as int64 bit patterns).
"""
import json
import math
import os
import struct

import mpmath
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, *[".."] * 9))
STEP_COUNTS = [1, 2, 3, 20, 50, 150]


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[8 + n + start:8 + n + end], dtype=np.float32).copy())
    return out


def write_safetensors(path, tensors):
    header = {}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        raw = array.tobytes()
        dtype = {np.float32: "F32", np.int64: "I64"}[array.dtype.type]
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


table = read_safetensors(os.path.join(ROOT, "testdata/golden/model_sampling/data.safetensors"))
SIGMAS = table["sigmas"]
LOG_SIGMAS = table["log_sigmas"]


def timestep(sigma):
    return (sigma.log() - LOG_SIGMAS[:, None]).abs().argmin(dim=0).view(sigma.shape)


def sigma_at(t):
    t = torch.clamp(t.float(), min=0, max=len(SIGMAS) - 1)
    low, high, w = t.floor().long(), t.ceil().long(), t.frac()
    return ((1 - w) * LOG_SIGMAS[low] + w * LOG_SIGMAS[high]).exp()


def simple(steps):
    stride = len(SIGMAS) / steps
    return torch.FloatTensor([float(SIGMAS[-(1 + int(x * stride))]) for x in range(steps)] + [0.0])


def normal(steps, sgm=False):
    start, end = timestep(SIGMAS[-1]), timestep(SIGMAS[0])
    ts = torch.linspace(start, end, steps + 1)[:-1] if sgm else torch.linspace(start, end, steps)
    return torch.FloatTensor([float(sigma_at(t)) for t in ts] + [0.0])


def karras(steps, rho=7.0):
    lo, hi = float(SIGMAS[0]) ** (1 / rho), float(SIGMAS[-1]) ** (1 / rho)
    ramp = torch.linspace(0, 1, steps)
    return torch.cat([(hi + ramp * (lo - hi)) ** rho, torch.zeros(1)])


def exponential(steps):
    return torch.cat([torch.linspace(math.log(float(SIGMAS[-1])), math.log(float(SIGMAS[0])), steps).exp(), torch.zeros(1)])


def ddim_uniform(steps):
    stride = max(len(SIGMAS) // steps, 1)
    picked = [float(SIGMAS[x]) for x in range(1, len(SIGMAS), stride)]
    return torch.FloatTensor(picked[::-1] + [0.0])


mpmath.mp.dps = 50


def beta_ppf(q, a=0.6, b=0.6):
    """scipy.stats.beta.ppf to 50 digits, by bisection on the regularized incomplete beta."""
    if q >= 1:
        return mpmath.mpf(1)
    lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    for _ in range(170):
        mid = (lo + hi) / 2
        if mpmath.betainc(a, b, 0, mid, regularized=True) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def beta(steps):
    qs = 1 - np.linspace(0, 1, steps, endpoint=False)
    ppf = [beta_ppf(mpmath.mpf(float(q))) for q in qs]
    sigs, last = [], -1
    for x in ppf:
        t = float(mpmath.nint(x * (len(SIGMAS) - 1)))  # round half to even, as np.rint, on the exact value
        if t != last:
            sigs.append(float(SIGMAS[int(t)]))
        last = t
    return torch.FloatTensor(sigs + [0.0]), np.array([float(x) for x in ppf], dtype=np.float64)


def linear_quadratic(steps, threshold_noise=0.025):
    if steps == 1:
        schedule = [1.0, 0.0]
    else:
        linear_steps = steps // 2
        linear = [i * threshold_noise / linear_steps for i in range(linear_steps)]
        diff = linear_steps - threshold_noise * steps
        quadratic_steps = steps - linear_steps
        qc = diff / (linear_steps * quadratic_steps ** 2)
        lc = threshold_noise / linear_steps - 2 * diff / (quadratic_steps ** 2)
        const = qc * (linear_steps ** 2)
        quadratic = [qc * (i ** 2) + lc * i + const for i in range(linear_steps, steps)]
        schedule = [1.0 - x for x in linear + quadratic + [1.0]]
    return torch.FloatTensor(schedule) * SIGMAS[-1]


def kl_optimal(steps):
    idx = torch.arange(steps, dtype=torch.float).div_(steps - 1)
    out = idx.new_zeros(steps + 1)
    out[:-1] = (idx * math.atan(float(SIGMAS[0])) + (1 - idx) * math.atan(float(SIGMAS[-1]))).tan_()
    return out


out = {}
for steps in STEP_COUNTS:
    out[f"simple/{steps}"] = simple(steps)
    out[f"normal/{steps}"] = normal(steps)
    out[f"sgm_uniform/{steps}"] = normal(steps, sgm=True)
    out[f"karras/{steps}"] = karras(steps)
    out[f"exponential/{steps}"] = exponential(steps)
    out[f"ddim_uniform/{steps}"] = ddim_uniform(steps)
    out[f"linear_quadratic/{steps}"] = linear_quadratic(steps)
    if steps > 1:  # ComfyUI divides by steps - 1: NaN for one step
        out[f"kl_optimal/{steps}"] = kl_optimal(steps)
    sigmas, ppf = beta(steps)
    out[f"beta/{steps}"] = sigmas
    out[f"beta_ppf/{steps}"] = ppf
for start, end, n in [(999, 0, 50), (0, 1, 50), (0, 1, 20), (999, 0, 21), (2.682, -3.5347, 50), (0, 1, 1000),
                      (0.3, 0.9, 100), (2.682, -3.5, 10000), (0, 1, 17), (0, 1, 15), (0, 1, 7), (5, 5, 1)]:
    out[f"linspace/{start}_{end}_{n}"] = torch.linspace(start, end, n)

arrays = {}
for name, value in out.items():
    array = value.numpy() if isinstance(value, torch.Tensor) else value
    arrays[name] = array.view(np.int64) if array.dtype == np.float64 else array.astype(np.float32)
write_safetensors(os.path.join(HERE, "scheduler_fixture.safetensors"), arrays)
print(len(arrays), "tensors")
