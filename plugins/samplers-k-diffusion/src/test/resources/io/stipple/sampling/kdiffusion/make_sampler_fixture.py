"""Reference runs for SamplerFixtureTest: ComfyUI's (a125cd84) k-diffusion samplers, written out here
in torch with ComfyUI's order of operations, on Gaussian data N(m, 0.5^2) with its exact denoiser
D(x, sigma) = (x - m) * (s^2 / (sigma^2 + s^2)) + m, computed in float32 as the Java test computes it.

Run with the Python that has torch 1.13 and numpy, from the repository root:
    /usr/bin/python3 plugins/samplers-k-diffusion/src/test/resources/io/stipple/sampling/kdiffusion/make_sampler_fixture.py

Writes sampler_fixture.safetensors beside this script: "x_T", "mean", "<sampler>/sigmas" and
"<sampler>/result" (float32). The ancestral samplers draw from a torch.Generator seeded with SEED, as
ComfyUI's default_noise_sampler does; so do dpmpp_sde and dpmpp_3m_sde here, in place of their Brownian
tree (torchsde is not available to this script; the test gives the Java samplers the same noise). (scipy's quad, used by lms, integrates a cubic: 4-point
Gauss-Legendre gives the same value.)
"""
import math
import os
import struct
import json

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 5
S2 = torch.tensor(0.25)
SHAPE = [1, 4, 8, 8]
SIGMA_MIN, SIGMA_MAX = 0.029167158, 14.614641


class Toy:
    def __init__(self, mean):
        self.mean = mean
        self.calls = 0

    def __call__(self, x, sigma):
        self.calls += 1
        sigma = sigma.reshape(-1)[0]
        return (x - self.mean) * (S2 / (sigma * sigma + S2)) + self.mean


def noise_sampler(x):
    g = torch.Generator()
    g.manual_seed(SEED)
    return lambda s, sn: torch.randn(x.size(), generator=g)


def to_d(x, sigma, denoised):
    return (x - denoised) / sigma


def ancestral(sf, st, eta=1.0):
    up = min(st, eta * (st ** 2 * (sf ** 2 - st ** 2) / sf ** 2) ** 0.5)
    return (st ** 2 - up ** 2) ** 0.5, up


def heun(model, x, sigmas):
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        d = to_d(x, sigmas[i], denoised)
        dt = sigmas[i + 1] - sigmas[i]
        if sigmas[i + 1] == 0:
            x = x + d * dt
        else:
            x2 = x + d * dt
            d2 = to_d(x2, sigmas[i + 1], model(x2, sigmas[i + 1]))
            x = x + (d + d2) / 2 * dt
    return x


def heunpp2(model, x, sigmas):
    end = sigmas[-1]
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        d = to_d(x, sigmas[i], denoised)
        dt = sigmas[i + 1] - sigmas[i]
        if sigmas[i + 1] == end:
            x = x + d * dt
        elif sigmas[i + 2] == end:
            x2 = x + d * dt
            d2 = to_d(x2, sigmas[i + 1], model(x2, sigmas[i + 1]))
            w2 = sigmas[i + 1] / (2 * sigmas[0])
            x = x + (d * (1 - w2) + d2 * w2) * dt
        else:
            x2 = x + d * dt
            d2 = to_d(x2, sigmas[i + 1], model(x2, sigmas[i + 1]))
            x3 = x2 + d2 * (sigmas[i + 2] - sigmas[i + 1])
            d3 = to_d(x3, sigmas[i + 2], model(x3, sigmas[i + 2]))
            w = 3 * sigmas[0]
            w2, w3 = sigmas[i + 1] / w, sigmas[i + 2] / w
            x = x + ((1 - w2 - w3) * d + w2 * d2 + w3 * d3) * dt
    return x


def dpm_2(model, x, sigmas):
    for i in range(len(sigmas) - 1):
        d = to_d(x, sigmas[i], model(x, sigmas[i]))
        if sigmas[i + 1] == 0:
            x = x + d * (sigmas[i + 1] - sigmas[i])
        else:
            mid = sigmas[i].log().lerp(sigmas[i + 1].log(), 0.5).exp()
            x2 = x + d * (mid - sigmas[i])
            x = x + to_d(x2, mid, model(x2, mid)) * (sigmas[i + 1] - sigmas[i])
    return x


def dpm_2_ancestral(model, x, sigmas):
    ns = noise_sampler(x)
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        down, up = ancestral(sigmas[i], sigmas[i + 1])
        d = to_d(x, sigmas[i], denoised)
        if down == 0:
            x = x + d * (down - sigmas[i])
        else:
            mid = sigmas[i].log().lerp(down.log(), 0.5).exp()
            x2 = x + d * (mid - sigmas[i])
            x = x + to_d(x2, mid, model(x2, mid)) * (down - sigmas[i])
            x = x + ns(sigmas[i], sigmas[i + 1]) * 1.0 * up
    return x


def lms_coeff(order, t, i, j):
    nodes, weights = np.polynomial.legendre.leggauss(4)
    a, b = float(t[i]), float(t[i + 1])
    total = 0.0
    for node, weight in zip(nodes, weights):
        tau = 0.5 * (a + b) + 0.5 * (b - a) * node
        prod = 1.0
        for k in range(order):
            if k != j:
                prod *= (tau - t[i - k]) / (t[i - j] - t[i - k])
        total += weight * prod
    return total * 0.5 * (b - a)


def lms(model, x, sigmas, order=4):
    t = sigmas.numpy()
    ds = []
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        ds.append(to_d(x, sigmas[i], denoised))
        if len(ds) > order:
            ds.pop(0)
        if sigmas[i + 1] == 0:
            x = denoised
        else:
            cur = min(i + 1, order)
            coeffs = [lms_coeff(cur, t, i, j) for j in range(cur)]
            x = x + sum(c * d for c, d in zip(coeffs, reversed(ds)))
    return x


def dpmpp_2s_ancestral(model, x, sigmas):
    ns = noise_sampler(x)
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        down, up = ancestral(sigmas[i], sigmas[i + 1])
        if down == 0:
            x = x + to_d(x, sigmas[i], denoised) * (down - sigmas[i])
        else:
            t, t_next = sigmas[i].log().neg(), down.log().neg()
            h = t_next - t
            s = t + 0.5 * h
            x2 = (s.neg().exp() / t.neg().exp()) * x - (-h * 0.5).expm1() * denoised
            denoised2 = model(x2, s.neg().exp())
            x = (t_next.neg().exp() / t.neg().exp()) * x - (-h).expm1() * denoised2
        if sigmas[i + 1] > 0:
            x = x + ns(sigmas[i], sigmas[i + 1]) * 1.0 * up
    return x


def ddpm(model, x, sigmas):
    ns = noise_sampler(x)
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        sigma, prev = sigmas[i], sigmas[i + 1]
        eps = (x - denoised) / sigma
        xs = x / torch.sqrt(1.0 + sigma ** 2.0)
        ac = 1 / ((sigma * sigma) + 1)
        acp = 1 / ((prev * prev) + 1)
        alpha = ac / acp
        mu = (1.0 / alpha).sqrt() * (xs - (1 - alpha) * eps / (1 - ac).sqrt())
        if prev > 0:
            mu += ((1 - alpha) * (1. - acp) / (1. - ac)).sqrt() * ns(sigma, prev)
        x = mu
        if prev != 0:
            x *= torch.sqrt(1.0 + prev ** 2.0)
    return x


def ipndm(model, x, sigmas, max_order=4):
    buf = []
    for i in range(len(sigmas) - 1):
        t_cur, t_next = sigmas[i], sigmas[i + 1]
        denoised = model(x, t_cur)
        d = (x - denoised) / t_cur
        order = min(max_order, i + 1)
        if t_next == 0:
            x_next = denoised
        elif order == 1:
            x_next = x + (t_next - t_cur) * d
        elif order == 2:
            x_next = x + (t_next - t_cur) * (3 * d - buf[-1]) / 2
        elif order == 3:
            x_next = x + (t_next - t_cur) * (23 * d - 16 * buf[-1] + 5 * buf[-2]) / 12
        else:
            x_next = x + (t_next - t_cur) * (55 * d - 59 * buf[-1] + 37 * buf[-2] - 9 * buf[-3]) / 24
        if len(buf) == max_order - 1:
            buf = buf[1:]
        buf.append(d)
        x = x_next
    return x


def ipndm_v(model, x, sigmas, max_order=4):
    t = sigmas
    buf = []
    for i in range(len(sigmas) - 1):
        t_cur, t_next = sigmas[i], sigmas[i + 1]
        denoised = model(x, t_cur)
        d = (x - denoised) / t_cur
        order = min(max_order, i + 1)
        if t_next == 0:
            x_next = denoised
        elif order == 1:
            x_next = x + (t_next - t_cur) * d
        else:
            hn, hn1 = t_next - t_cur, t_cur - t[i - 1]
            if order == 2:
                c = [(2 + (hn / hn1)) / 2, -(hn / hn1) / 2]
            else:
                hn2 = t[i - 1] - t[i - 2]
                temp1 = (1 - hn / (3 * (hn + hn1)) * (hn * (hn + hn1)) / (hn1 * (hn1 + hn2))) / 2
                if order == 3:
                    c = [(2 + (hn / hn1)) / 2 + temp1, -(hn / hn1) / 2 - (1 + hn1 / hn2) * temp1, temp1 * hn1 / hn2]
                else:
                    hn3 = t[i - 2] - t[i - 3]
                    temp2 = ((1 - hn / (3 * (hn + hn1))) / 2 + (1 - hn / (2 * (hn + hn1))) * hn / (6 * (hn + hn1 + hn2))) \
                        * (hn * (hn + hn1) * (hn + hn1 + hn2)) / (hn1 * (hn1 + hn2) * (hn1 + hn2 + hn3))
                    r21 = (hn1 * (hn1 + hn2) / (hn2 * (hn2 + hn3)))
                    c = [(2 + (hn / hn1)) / 2 + temp1 + temp2,
                         -(hn / hn1) / 2 - (1 + hn1 / hn2) * temp1 - (1 + (hn1 / hn2) + r21) * temp2,
                         temp1 * hn1 / hn2 + ((hn1 / hn2) + r21 * (1 + hn2 / hn3)) * temp2,
                         -temp2 * r21 * hn1 / hn2]
            acc = c[0] * d
            for k in range(1, order):
                acc = acc + c[k] * buf[-k]
            x_next = x + (t_next - t_cur) * acc
        if len(buf) == max_order - 1:
            buf = buf[1:]
        buf.append(d)
        x = x_next
    return x


class DpmSolver:
    def __init__(self, model):
        self.model = model

    def sigma(self, t):
        return t.neg().exp()

    def eps(self, cache, key, x, t):
        if key in cache:
            return cache[key], cache
        e = (x - self.model(x, self.sigma(t))) / self.sigma(t)
        return e, {key: e, **cache}

    def step1(self, x, t, tn, cache):
        e, cache = self.eps(cache, 'eps', x, t)
        return x - self.sigma(tn) * (tn - t).expm1() * e, cache

    def step2(self, x, t, tn, r1=1 / 2, cache=None):
        h = tn - t
        e, cache = self.eps(cache, 'eps', x, t)
        s1 = t + r1 * h
        u1 = x - self.sigma(s1) * (r1 * h).expm1() * e
        e1, cache = self.eps(cache, 'eps_r1', u1, s1)
        return x - self.sigma(tn) * h.expm1() * e - self.sigma(tn) / (2 * r1) * h.expm1() * (e1 - e), cache

    def step3(self, x, t, tn, r1=1 / 3, r2=2 / 3, cache=None):
        h = tn - t
        e, cache = self.eps(cache, 'eps', x, t)
        s1, s2 = t + r1 * h, t + r2 * h
        u1 = x - self.sigma(s1) * (r1 * h).expm1() * e
        e1, cache = self.eps(cache, 'eps_r1', u1, s1)
        u2 = x - self.sigma(s2) * (r2 * h).expm1() * e - self.sigma(s2) * (r2 / r1) * ((r2 * h).expm1() / (r2 * h) - 1) * (e1 - e)
        e2, cache = self.eps(cache, 'eps_r2', u2, s2)
        return x - self.sigma(tn) * h.expm1() * e - self.sigma(tn) / r2 * (h.expm1() / h - 1) * (e2 - e), cache


def dpm_fast(model, x, sigmas):
    smin = sigmas[-2] if sigmas[-1] == 0 else sigmas[-1]
    n = len(sigmas) - 1
    solver = DpmSolver(model)
    t_start, t_end = torch.tensor(sigmas[0]).log().neg(), torch.tensor(smin).log().neg()
    m = math.floor(n / 3) + 1
    ts = torch.linspace(t_start, t_end, m + 1)
    orders = [3] * (m - 2) + [2, 1] if n % 3 == 0 else [3] * (m - 1) + [n % 3]
    for i in range(len(orders)):
        t, tn = ts[i], ts[i + 1]
        cache = {}
        _, cache = solver.eps(cache, 'eps', x, t)
        if orders[i] == 1:
            x, _ = solver.step1(x, t, tn, cache)
        elif orders[i] == 2:
            x, _ = solver.step2(x, t, tn, cache=cache)
        else:
            x, _ = solver.step3(x, t, tn, cache=cache)
    return x


def dpm_adaptive(model, x, sigmas):
    smin = sigmas[-2] if sigmas[-1] == 0 else sigmas[-1]
    solver = DpmSolver(model)
    t_start, t_end = torch.tensor(sigmas[0]).log().neg(), torch.tensor(smin).log().neg()
    atol, rtol = torch.tensor(0.0078), torch.tensor(0.05)
    s, x_prev, h = t_start, x, 0.05
    b1, b2, b3 = 1 / 3, -0.0 / 3, 0.0 / 3
    errs = []
    while s < t_end - 1e-5:
        cache = {}
        t = torch.minimum(t_end, s + h)
        x_low, cache = solver.step2(x, s, t, r1=1 / 3, cache=cache)
        x_high, cache = solver.step3(x, s, t, cache=cache)
        delta = torch.maximum(atol, rtol * torch.maximum(x_low.abs(), x_prev.abs()))
        error = torch.linalg.norm((x_low - x_high) / delta) / x.numel() ** 0.5
        inv = 1 / (float(error) + 1e-8)
        if not errs:
            errs = [inv, inv, inv]
        errs[0] = inv
        factor = 1 + math.atan(errs[0] ** b1 * errs[1] ** b2 * errs[2] ** b3 - 1)
        if factor >= 0.81:
            errs[2], errs[1] = errs[1], errs[0]
            x_prev, x, s = x_low, x_high, t
        h *= factor
    return x


def dpmpp_sde(model, x, sigmas, eta=1.0, s_noise=1.0, r=1 / 2):
    ns = noise_sampler(x)
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        if sigmas[i + 1] == 0:
            x = denoised
            continue
        lambda_s, lambda_t = sigmas[i].log().neg(), sigmas[i + 1].log().neg()
        h = lambda_t - lambda_s
        lambda_s_1 = lambda_s + r * h
        fac = 1 / (2 * r)
        sigma_s_1 = lambda_s_1.neg().exp()
        alpha_s, alpha_s_1, alpha_t = sigmas[i] * lambda_s.exp(), sigma_s_1 * lambda_s_1.exp(), sigmas[i + 1] * lambda_t.exp()
        sd, su = ancestral(lambda_s.neg().exp(), lambda_s_1.neg().exp(), eta)
        h_ = sd.log().neg() - lambda_s
        x_2 = (alpha_s_1 / alpha_s) * (-h_).exp() * x - alpha_s_1 * (-h_).expm1() * denoised
        x_2 = x_2 + alpha_s_1 * ns(sigmas[i], sigma_s_1) * s_noise * su
        denoised_2 = model(x_2, sigma_s_1)
        sd, su = ancestral(lambda_s.neg().exp(), lambda_t.neg().exp(), eta)
        h_ = sd.log().neg() - lambda_s
        denoised_d = (1 - fac) * denoised + fac * denoised_2
        x = (alpha_t / alpha_s) * (-h_).exp() * x - alpha_t * (-h_).expm1() * denoised_d
        x = x + alpha_t * ns(sigmas[i], sigmas[i + 1]) * s_noise * su
    return x


def dpmpp_3m_sde(model, x, sigmas, eta=1.0, s_noise=1.0):
    ns = noise_sampler(x)
    d_1, d_2 = None, None
    h, h_1, h_2 = None, None, None
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        if sigmas[i + 1] == 0:
            x = denoised
        else:
            lambda_s, lambda_t = sigmas[i].log().neg(), sigmas[i + 1].log().neg()
            h = lambda_t - lambda_s
            h_eta = h * (eta + 1)
            alpha_t = sigmas[i + 1] * lambda_t.exp()
            x = sigmas[i + 1] / sigmas[i] * (-h * eta).exp() * x + alpha_t * (-h_eta).expm1().neg() * denoised
            if h_2 is not None:
                r0, r1 = h_1 / h, h_2 / h
                d1_0 = (denoised - d_1) / r0
                d1_1 = (d_1 - d_2) / r1
                d1 = d1_0 + (d1_0 - d1_1) * r0 / (r0 + r1)
                d2 = (d1_0 - d1_1) / (r0 + r1)
                phi_2 = h_eta.neg().expm1() / h_eta + 1
                phi_3 = phi_2 / h_eta - 0.5
                x = x + (alpha_t * phi_2) * d1 - (alpha_t * phi_3) * d2
            elif h_1 is not None:
                d = (denoised - d_1) / (h_1 / h)
                phi_2 = h_eta.neg().expm1() / h_eta + 1
                x = x + (alpha_t * phi_2) * d
            x = x + ns(sigmas[i], sigmas[i + 1]) * sigmas[i + 1] * (-2 * h * eta).expm1().neg().sqrt() * s_noise
        d_1, d_2 = denoised, d_1
        h_1, h_2 = h, h_1
    return x


def deis_coefficients(t_steps, max_order=3, n=10000):
    beta_d = 2 * (np.log(torch.tensor(0.002) ** 2 + 1) / 1e-3 - np.log(torch.tensor(80) ** 2 + 1)) / (1e-3 - 1)
    beta_min = np.log(torch.tensor(80) ** 2 + 1) - 0.5 * beta_d
    t = ((beta_min ** 2 + 2 * beta_d * (t_steps ** 2 + 1).log()).sqrt() - beta_min) / beta_d
    beta_0, beta_1 = beta_min, beta_d + beta_min
    coefficients = []
    for i in range(len(t) - 1):
        order = min(i + 1, max_order)
        if order == 1:
            coefficients.append([])
            continue
        taus = torch.linspace(t[i], t[i + 1], n)
        dtau = (t[i + 1] - t[i]) / n
        prev = t[[i - k for k in range(order)]]
        with torch.enable_grad():
            g = taus.clone().requires_grad_(True)
            alpha = torch.exp(-0.5 * g ** 2 * (beta_1 - beta_0) - g * beta_0)
            alpha.log().sum().backward()
        integrand = -0.5 * g.grad / torch.sqrt(alpha.detach() * (1 - alpha.detach()))
        row = []
        for j in range(order):
            poly = 1
            for k in range(order):
                if k != j:
                    poly = poly * (taus - prev[k]) / (prev[j] - prev[k])
            row.append(torch.sum(integrand * poly) * dtau)
        coefficients.append(row)
    return coefficients


def deis(model, x, sigmas, max_order=3):
    coefficients = deis_coefficients(sigmas, max_order)
    buf = []
    for i in range(len(sigmas) - 1):
        t_cur, t_next = sigmas[i], sigmas[i + 1]
        d = (x - model(x, t_cur)) / t_cur
        order = 1 if t_next <= 0 else min(max_order, i + 1)
        if order == 1:
            x_next = x + (t_next - t_cur) * d
        else:
            c = coefficients[i]
            x_next = x + c[0] * d + c[1] * buf[-1]
            if order == 3:
                x_next = x_next + c[2] * buf[-2]
        if len(buf) == max_order - 1:
            buf = buf[1:]
        buf.append(d)
        x = x_next
    return x


def log_mean(s):
    return 0.5 * torch.log(1 / ((s * s) + 1))


def vp_alpha(s):
    return torch.exp(log_mean(s))


def vp_std(s):
    return torch.sqrt(1. - torch.exp(2. * log_mean(s)))


def vp_lambda(s):
    lm = log_mean(s)
    return lm - 0.5 * torch.log(1. - torch.exp(2. * lm))


def unipc(model, x, sigmas, variant):
    ts_all = sigmas.clone()
    if sigmas[-1] == 0:
        ts_all[-1] = 0.001
    x = x / torch.sqrt(1.0 + ts_all[0] ** 2.0)

    def model_fn(x, t):
        inp = x * ((t ** 2 + 1.0) ** 0.5)
        eps = (inp - model(inp, t)) / t
        return (x - vp_std(t) * eps) / vp_alpha(t)

    def update(x, models, ts, t, order, use_corrector):
        lp0, lt = vp_lambda(ts[-1]), vp_lambda(t)
        m0 = models[-1]
        h = lt - lp0
        alpha_t = torch.exp(log_mean(t))
        rks, d1s = [], []
        for i in range(1, order):
            rk = (vp_lambda(ts[-(i + 1)]) - lp0) / h
            rks.append(rk)
            d1s.append((models[-(i + 1)] - m0) / rk)
        rks.append(1.)
        rks = torch.tensor(rks)
        hh = -h
        h_phi_1 = torch.expm1(hh)
        h_phi_k = h_phi_1 / hh - 1
        fact = 1
        b_h = hh if variant == "bh1" else torch.expm1(hh)
        r, b = [], []
        for i in range(1, order + 1):
            r.append(torch.pow(rks, i - 1))
            b.append(h_phi_k * fact / b_h)
            fact *= i + 1
            h_phi_k = h_phi_k / hh - 1 / fact
        r, b = torch.stack(r), torch.tensor(b)
        x_t_ = (vp_std(t) / vp_std(ts[-1])) * x - (alpha_t * h_phi_1) * m0
        pred = 0
        if d1s:
            d1s = torch.stack(d1s, dim=1)
            rhos_p = torch.tensor([0.5]) if order == 2 else torch.linalg.solve(r[:-1, :-1], b[:-1])
            pred = torch.einsum("k,bkchw->bchw", rhos_p, d1s)
        else:
            d1s = None
        x_t = x_t_ - (alpha_t * b_h) * pred
        if not use_corrector:
            return x_t, None
        rhos_c = torch.tensor([0.5]) if order == 1 else torch.linalg.solve(r, b)
        model_t = model_fn(x_t, t)
        corr = torch.einsum("k,bkchw->bchw", rhos_c[:-1], d1s) if d1s is not None else 0
        return x_t_ - (alpha_t * b_h) * (corr + rhos_c[-1] * (model_t - m0)), model_t

    order = min(3, len(ts_all) - 2)
    steps = len(ts_all) - 1
    models, ts = [], []
    for k in range(steps):
        if k == 0:
            models, ts = [model_fn(x, ts_all[0])], [ts_all[0]]
        elif k < order:
            x, m = update(x, models, ts, ts_all[k], k, True)
            models.append(m)
            ts.append(ts_all[k])
        else:
            for step in range(k, k + 1 + (1 if k == steps - 1 else 0)):
                x, m = update(x, models, ts, ts_all[step], min(order, steps + 1 - step), step != steps)
                for i in range(order - 1):
                    ts[i], models[i] = ts[i + 1], models[i + 1]
                ts[-1] = ts_all[step]
                if step < steps:
                    models[-1] = m if m is not None else model_fn(x, ts_all[step])
    return x / vp_alpha(ts_all[-1])


SAMPLERS = {
    "heun": (heun, False), "heunpp2": (heunpp2, False), "dpm_2": (dpm_2, True),
    "dpm_2_ancestral": (dpm_2_ancestral, True), "lms": (lms, False), "dpmpp_2s_ancestral": (dpmpp_2s_ancestral, False),
    "ddpm": (ddpm, False), "ipndm": (ipndm, False), "ipndm_v": (ipndm_v, False), "dpm_fast": (dpm_fast, False),
    "dpm_adaptive": (dpm_adaptive, False), "dpmpp_sde": (dpmpp_sde, False), "dpmpp_3m_sde": (dpmpp_3m_sde, False),
    "deis": (deis, False), "uni_pc": (lambda m, x, s: unipc(m, x, s, "bh1"), True),
    "uni_pc_bh2": (lambda m, x, s: unipc(m, x, s, "bh2"), True),
}


def karras(n, rho=7.0):
    lo, hi = SIGMA_MIN ** (1 / rho), SIGMA_MAX ** (1 / rho)
    ramp = torch.linspace(0, 1, n)
    return torch.cat([(hi + ramp * (lo - hi)) ** rho, torch.zeros(1)])


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        raw = array.astype(np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


torch.manual_seed(11)
mean = (0.3 * torch.sin(0.1 * torch.arange(256, dtype=torch.float64))).float().reshape(SHAPE)
noise = torch.randn(SHAPE)
out = {"mean": mean.numpy(), "noise": noise.numpy()}
for name, (fn, discard) in SAMPLERS.items():
    sigmas = karras(11) if discard else karras(10)
    if discard:
        sigmas = torch.cat([sigmas[:-2], sigmas[-1:]])
    x = noise * torch.sqrt(1.0 + sigmas[0] ** 2.0)
    model = Toy(mean)
    out[f"{name}/sigmas"] = sigmas.numpy()
    out[f"{name}/result"] = fn(model, x, sigmas).numpy()
write_safetensors(os.path.join(HERE, "sampler_fixture.safetensors"), out)
print(len(out), "tensors")
