#!/usr/bin/python3
"""Times EBM Lab's training steps against the same steps written in PyTorch, in the same run.

For every method, `ebmlab-cli bench --json --method M` (2D) or `ebmlab-cli bench --images --json`
(image CD step) runs first, then the PyTorch step with torch.set_num_threads equal to ebmlab's thread
count, then with the other thread counts of --torch-threads; the two runs follow each other, so both
see the same machine load. Printed per method: both steps/s, the ratio ebmlab / PyTorch at the same
thread count and against PyTorch's best thread count. docs/bench.md ("Against PyTorch") describes the
configurations; scripts/bench-vs-pytorch installs python3-torch and calls this script.

The PyTorch steps do the work of ebmlab's steps (the same model, batch, chains, replay buffer, losses,
Adam), written the usual way: nn.Sequential, torch.autograd.grad (with create_graph for the score
matching losses), no per-sample Python loops. Their matrix-product FLOPs per step are counted with
torch.profiler and printed next to ebmlab's count (bench/src/flops.cpp).
"""
import argparse
import csv
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

METHODS_2D = ["cd", "sm", "ssm", "dsm", "nce"]


# ---------------------------------------------------------------------------------------------------
# The 2D steps: MLP 2-128-128-1 SiLU, batch 256 from eight-gaussians, Adam.
# ---------------------------------------------------------------------------------------------------
def mlp(hidden=(128, 128), dim=2):
    layers, n = [], dim
    for h in hidden:
        layers += [nn.Linear(n, h), nn.SiLU()]
        n = h
    layers.append(nn.Linear(n, 1))
    return nn.Sequential(*layers)


class EightGaussians:
    """Eight isotropic Gaussians (sd 0.2) on a circle of radius 2, like ebmlab's preset."""

    def __init__(self):
        a = torch.arange(8, dtype=torch.float32) * (2 * math.pi / 8)
        self.means = 2.0 * torch.stack([a.cos(), a.sin()], 1)

    def sample(self, n):
        return self.means[torch.randint(0, 8, (n,))] + 0.2 * torch.randn(n, 2)


def energy(net, x):
    return net(x).squeeze(-1)


class Step2d:
    """One training step of a 2D method; cfg holds the configuration ebmlab's bench ran."""

    BOX = (-4.0, 4.0)

    def __init__(self, method, cfg):
        torch.manual_seed(1)
        self.method, self.cfg = method, cfg
        self.net = mlp()
        self.target = EightGaussians()
        self.c = nn.Parameter(torch.zeros(()))  # NCE's learned log Z
        params = list(self.net.parameters()) + ([self.c] if method == "nce" else [])
        self.opt = torch.optim.Adam(params, lr=3e-3)
        self.batch = cfg["batch"]
        if method == "cd":
            self.buffer = self.uniform(cfg["buffer"])
        if method == "nce":
            s = self.target.sample(20000)
            mean, cov = s.mean(0), torch.cov(s.T) + 1e-6 * torch.eye(2)
            self.q = torch.distributions.MultivariateNormal(mean, covariance_matrix=cov)

    def uniform(self, n):
        lo, hi = self.BOX
        return lo + (hi - lo) * torch.rand(n, 2)

    def __call__(self):
        x = self.target.sample(self.batch)
        loss = getattr(self, self.method)(x)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    def cd(self, data):
        # Persistent chains: B slots of the replay buffer, 10% restarted (half from data, half uniform),
        # K ULA steps x' = x − ε∇E(x) + √(2ε)ξ; chains more than half a box width outside the box restart.
        cfg, B = self.cfg, self.batch
        idx = torch.randint(0, self.buffer.shape[0], (B,))
        restart = (torch.rand(B) < cfg["restart"]).unsqueeze(1)
        from_data = (torch.rand(B) < 0.5).unsqueeze(1)
        x = torch.where(restart, torch.where(from_data, data, self.uniform(B)), self.buffer[idx])
        eps = cfg["step_size"]
        noise = math.sqrt(2 * eps)
        for _ in range(cfg["chain_steps"]):
            x.requires_grad_(True)
            (g,) = torch.autograd.grad(energy(self.net, x).sum(), x)
            x = (x - eps * g + noise * torch.randn_like(x)).detach()
        bad = ~torch.isfinite(x).all(1, keepdim=True) | (x.abs() > 8.0).any(1, keepdim=True)
        x = torch.where(bad, self.uniform(B), x)
        self.buffer[idx] = x
        e = energy(self.net, torch.cat([data, x]))
        ep, en = e[:B], e[B:]
        return ep.mean() - en.mean() + cfg["energy_reg"] * (ep.pow(2).mean() + en.pow(2).mean())

    def sm(self, data):
        # Hyvärinen: mean of ½‖∇E‖² − ΔE, the Laplacian from one double-backward per axis.
        x = data.requires_grad_(True)
        (g,) = torch.autograd.grad(energy(self.net, x).sum(), x, create_graph=True)
        lap = sum(torch.autograd.grad(g[:, i].sum(), x, create_graph=True)[0][:, i] for i in range(2))
        return (0.5 * g.pow(2).sum(1) - lap).mean()

    def ssm(self, data):
        # Sliced SM, variance-reduced, `slices` Rademacher projections per point.
        x = data.repeat(self.cfg["slices"], 1).requires_grad_(True)
        v = torch.randint(0, 2, x.shape).float() * 2 - 1
        (g,) = torch.autograd.grad(energy(self.net, x).sum(), x, create_graph=True)
        (hv,) = torch.autograd.grad((g * v).sum(), x, create_graph=True)
        return (0.5 * g.pow(2).sum(1) - (hv * v).sum(1)).mean()

    def dsm(self, data):
        # Denoising SM, `draws` noise draws per point: ½‖σ∇E(x + σn) − n‖².
        sigma = self.cfg["sigma"]
        clean = data.repeat(self.cfg["draws"], 1)
        n = torch.randn_like(clean)
        x = (clean + sigma * n).requires_grad_(True)
        (g,) = torch.autograd.grad(energy(self.net, x).sum(), x, create_graph=True)
        return 0.5 * (sigma * g - n).pow(2).sum(1).mean()

    def nce(self, data):
        # Logistic regression of data against ν·B samples of the fitted Gaussian, log Z learned as c.
        nu = self.cfg["noise_ratio"]
        noise = self.q.sample((max(1, round(nu * self.batch)),))
        x = torch.cat([data, noise])
        logit = -energy(self.net, x) - self.c - self.q.log_prob(x) - math.log(nu)
        B = self.batch
        return F.softplus(-logit[:B]).mean() + nu * F.softplus(logit[B:]).mean()


# ---------------------------------------------------------------------------------------------------
# The image CD step: ebmlab's default conv net on 16x16 images, batch 64, 20 image-Langevin steps.
# ---------------------------------------------------------------------------------------------------
def convnet(layers=((16, 1), (32, 2), (64, 2), (64, 2)), size=16):
    mods, c = [], 1
    for out, stride in layers:
        mods += [nn.Conv2d(c, out, 3, stride, 1), nn.SiLU()]
        c = out
        size = (size + 2 - 3) // stride + 1
    mods += [nn.Flatten(), nn.Linear(c * size * size, 1)]
    return nn.Sequential(*mods)


class ImageCdStep:
    def __init__(self, cfg):
        torch.manual_seed(1)
        self.cfg = cfg
        self.net = convnet()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3, betas=(0.5, 0.999))
        self.data = torch.rand(1000, 1, 16, 16)  # the timing does not depend on the pixels
        self.buffer = torch.rand(cfg["buffer"], 1, 16, 16)

    def __call__(self):
        cfg, B = self.cfg, self.cfg["batch"]
        data = self.data[torch.randint(0, self.data.shape[0], (B,))]
        idx = torch.randint(0, self.buffer.shape[0], (B,))
        fresh = (torch.rand(B) < cfg["fresh"]).view(B, 1, 1, 1)
        x = torch.where(fresh, torch.rand(B, 1, 16, 16), self.buffer[idx])
        for _ in range(cfg["langevin_steps"]):
            x.requires_grad_(True)
            (g,) = torch.autograd.grad(self.net(x).sum(), x)
            x = (x - cfg["step_size"] * g + cfg["noise"] * torch.randn_like(x)).clamp(0, 1).detach()
        self.buffer[idx] = x
        e = self.net(torch.cat([data, x])).squeeze(-1)
        ep, en = e[:B], e[B:]
        loss = ep.mean() - en.mean() + cfg["energy_reg"] * (ep.pow(2).mean() + en.pow(2).mean())
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()


# ---------------------------------------------------------------------------------------------------
# Timing and counting.
# ---------------------------------------------------------------------------------------------------
def steps_per_s(step, reps, min_time, warmup=3):
    """Median over reps of blocks of steps lasting >= min_time each (like ebmlab's bench)."""
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    step()
    iters = max(1, math.ceil(min_time / max(1e-7, time.perf_counter() - t0)))
    per = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        per.append((time.perf_counter() - t0) / iters)
    return 1.0 / statistics.median(per)


MATMUL_OPS = ("aten::mm", "aten::addmm", "aten::bmm", "aten::conv2d")


def matmul_flops(step):
    """Matrix-product FLOPs (2mnk per product) of one step, as torch.profiler counts them (it has no
    formula for the convolutions' backward, so the image step's count is its forward convolutions only)."""
    from torch.profiler import ProfilerActivity, profile

    step()
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        step()
    return float(sum(e.flops for e in prof.key_averages() if e.key in MATMUL_OPS))


def blas_library():
    """The BLAS library this process loaded (torch's matrix products on the CPU go through it)."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    with open("/proc/self/maps") as f:
        libs = {l.split()[-1] for l in f if "blas" in l.split()[-1]}
    return ", ".join(sorted(os.path.realpath(l) for l in libs)) or "none found"


def run_cli(cli, args):
    out = subprocess.run([cli, "bench", "--json"] + args, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]


def time_torch(make_step, threads, reps, min_time):
    res = {}
    for t in threads:
        torch.set_num_threads(t)
        res[t] = steps_per_s(make_step(), reps, min_time)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/app/ebmlab-cli", help="the ebmlab-cli binary")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="ebmlab's threads (default: all cores)")
    ap.add_argument("--torch-threads", default="1,2",
                    help="further PyTorch thread counts for the best-of column (default 1,2)")
    ap.add_argument("--methods", default=",".join(METHODS_2D + ["image-cd"]),
                    help="comma-separated, from cd, sm, ssm, dsm, nce, image-cd")
    ap.add_argument("--chain-steps", type=int, default=10, help="CD's Langevin steps per training step")
    ap.add_argument("--slices", type=int, default=4, help="SSM projections per point")
    ap.add_argument("--draws", type=int, default=8, help="DSM noise draws per point")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions (median)")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds per PyTorch repetition")
    ap.add_argument("--image-reps", type=int, default=9, help="single image steps timed by ebmlab (median)")
    ap.add_argument("--json", help="write the results here (one JSON object)")
    ap.add_argument("--csv", help="write the table here")
    a = ap.parse_args()

    methods = [m for m in a.methods.split(",") if m]
    for m in methods:
        if m not in METHODS_2D + ["image-cd"]:
            sys.exit(f"bench-vs-pytorch: unknown method {m!r} (use {', '.join(METHODS_2D + ['image-cd'])})")
    torch_threads = [a.threads] + [int(t) for t in a.torch_threads.split(",") if t and int(t) != a.threads]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    load0 = os.getloadavg()
    print(f"bench-vs-pytorch: {cpu}, {os.cpu_count()} cores, load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    blas = blas_library()
    print(f"torch {torch.__version__} (python {platform.python_version()}), BLAS {blas}")
    print(f"ebmlab {a.threads} thread(s), PyTorch threads {','.join(map(str, torch_threads))}")

    sets = ["--set", f"ssm.slices={a.slices}", "--set", f"dsm.draws={a.draws}"]
    rows = []
    for m in methods:
        if m == "image-cd":
            lines = run_cli(a.cli, ["--images", "--reps", str(a.image_reps), "--threads", str(a.threads)])
            ebm = next(j for j in lines if j.get("model") == "conv" and j.get("method") == "cd")
            cfg = dict(batch=ebm["batch"], langevin_steps=ebm["langevin_steps"], buffer=10000, fresh=0.05,
                       step_size=4.0, noise=0.005, energy_reg=0.1)
            make = lambda: ImageCdStep(cfg)
            nparams = sum(p.numel() for p in make().net.parameters())
            if nparams != ebm["params"]:
                sys.exit(f"bench-vs-pytorch: the PyTorch conv net has {nparams} parameters, ebmlab's {ebm['params']}")
            ebm_flops = None
        else:
            ebm = run_cli(a.cli, ["--method", m, "--threads", str(a.threads), "--reps", str(a.reps),
                                  "--chain-steps", str(a.chain_steps)] + sets)[0]
            p = ebm["params"]
            cfg = dict(batch=256, chain_steps=ebm["chain_steps"], buffer=8192, restart=0.1, step_size=0.02,
                       energy_reg=p.get("energy_reg", 0), slices=p.get("slices", 1), draws=p.get("draws", 1),
                       sigma=p.get("sigma", 0.1), noise_ratio=p.get("noise_ratio", 1.0))
            make = lambda: Step2d(m, cfg)
            ebm_flops = ebm["flops_per_step"]
        torch.set_num_threads(a.threads)
        torch_flops = matmul_flops(make())
        tt = time_torch(make, torch_threads, 3 if m == "image-cd" else a.reps, a.min_time)
        best_t = max(tt, key=tt.get)
        row = dict(method=m, ebmlab_steps_per_s=ebm["steps_per_s"], torch_steps_per_s=tt[a.threads],
                   torch_best_steps_per_s=tt[best_t], torch_best_threads=best_t,
                   ratio=ebm["steps_per_s"] / tt[a.threads], ratio_vs_best=ebm["steps_per_s"] / tt[best_t],
                   ebmlab_flops=ebm_flops, torch_matmul_flops=torch_flops, load=os.getloadavg()[0],
                   torch_by_threads={str(k): v for k, v in tt.items()}, config=cfg)
        rows.append(row)
        print(f"  {m}: ebmlab {row['ebmlab_steps_per_s']:.1f} steps/s, PyTorch {row['torch_steps_per_s']:.2f} "
              f"({a.threads} threads), best {row['torch_best_steps_per_s']:.2f} ({best_t}); "
              f"ratio {row['ratio']:.1f}x, vs best {row['ratio_vs_best']:.1f}x", flush=True)

    load1 = os.getloadavg()
    print(f"\n{'method':9} {'ebmlab/s':>9} {'torch/s':>9} {'best/s':>9} {'thr':>3} {'ratio':>7} {'vs best':>7}"
          f" {'ebm GFLOP':>9} {'torch GFLOP':>11}")
    for r in rows:
        ef = f"{r['ebmlab_flops'] / 1e9:.4f}" if r["ebmlab_flops"] else "-"
        print(f"{r['method']:9} {r['ebmlab_steps_per_s']:9.1f} {r['torch_steps_per_s']:9.2f} "
              f"{r['torch_best_steps_per_s']:9.2f} {r['torch_best_threads']:3d} {r['ratio']:6.1f}x "
              f"{r['ratio_vs_best']:6.1f}x {ef:>9} {r['torch_matmul_flops'] / 1e9:11.4f}")
    print(f"load at the end: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    report = dict(cpu=cpu, cores=os.cpu_count(), torch=torch.__version__, blas=blas, threads=a.threads,
                  torch_threads=torch_threads, load_start=load0, load_end=load1, methods=rows)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    if a.csv:
        keys = ["method", "ebmlab_steps_per_s", "torch_steps_per_s", "torch_best_steps_per_s",
                "torch_best_threads", "ratio", "ratio_vs_best", "ebmlab_flops", "torch_matmul_flops", "load"]
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main()
