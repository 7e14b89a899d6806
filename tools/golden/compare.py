#!/usr/bin/env python3
"""Compare a regenerated golden folder against testdata/golden, tensor by tensor.

    compare.py NEW_DIR [--golden testdata/golden] [--case rng --case e2e ...] [--json OUT]
    compare.py --self-test

For every case folder of NEW_DIR (or the --case ones) and every ``.safetensors`` / ``.latent`` /
``.png`` file that the golden case holds, every tensor is compared: max |new - golden|, the relative
difference max|new - golden| / max|golden|, and whether the difference is within the *rerun
tolerance* that the golden manifest records (how much the same computation moved when ComfyUI
re-ran it with 1 instead of 2 threads):

  * ``runs[*].tolerance`` (sampler runs): the tensor's own entry, else the run's max_abs_diff;
  * ``tolerance.per_tensor[name].max_abs_diff``, else ``tolerance.max_abs_diff`` /
    ``max_abs_diff_float`` / ``max_rerun_abs_diff_over_grid``;
  * ``tolerance.exact``: 0 (bit-exact).

Prints one line per file (worst tensor) and a summary per case; ``-v`` prints every tensor.
Exit status 0 when every tensor is present, has the same shape and dtype and is within
tolerance (plus ``--rel-slack`` x max|golden| if given), 1 otherwise.
Pure standard library (no torch, no numpy), so it also runs where the harness cannot.
"""
import argparse
import array
import json
import math
import os
import shutil
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GOLDEN = os.path.join(os.path.dirname(os.path.dirname(HERE)), "testdata", "golden")

_FMT = {"F64": "d", "F32": "f", "I64": "q", "I32": "i", "I16": "h", "I8": "b", "U8": "B", "BOOL": "B", "F16": "e"}
_SIZE = {"F64": 8, "F32": 4, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F16": 2, "BF16": 2}


def read_safetensors(path):
    """{name: (dtype, shape, list of Python numbers)} of a safetensors file."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    start = 8 + n
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        raw = buf[start + b:start + e]
        dt = h["dtype"]
        if dt == "BF16":
            vals = [struct.unpack("<f", b"\0\0" + raw[i:i + 2])[0] for i in range(0, len(raw), 2)]
        elif dt == "F16":
            vals = list(struct.unpack("<%de" % (len(raw) // 2), raw))
        else:
            a = array.array(_FMT[dt])
            a.frombytes(raw)
            if sys.byteorder == "big":
                a.byteswap()
            vals = a.tolist()
        out[name] = (dt, list(h["shape"]), vals)
    return out


def read_png(path):
    """{"pixels": ("U8", [H, W, C], values)} of an 8-bit, non-interlaced PNG (what SaveImage and
    PIL write): the pixels are compared like a uint8 tensor, with the tolerance of ``png``."""
    import zlib
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG: " + path)
    pos, idat, ihdr = 8, [], None
    while pos < len(buf):
        (n,) = struct.unpack(">I", buf[pos:pos + 4])
        kind, body = buf[pos + 4:pos + 8], buf[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d): %s" % (depth, ctype, interlace, path))
    raw, stride, bpp = zlib.decompress(b"".join(idat)), w * channels, channels
    prev, pixels, pos = bytearray(stride), bytearray(), 0
    for _ in range(h):
        ft, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels += line
        prev = line
    return {"pixels": ("U8", [h, w, channels], list(pixels))}


def read_tensors(path):
    return read_png(path) if path.endswith(".png") else read_safetensors(path)


def write_safetensors(path, tensors):
    """Minimal writer for the self-test: {name: (dtype, shape, values)}."""
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        dt, shape, vals = tensors[name]
        raw = struct.pack("<%d%s" % (len(vals), _FMT[dt]), *vals)
        header[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))


def tolerance_for(manifest, rel_file, tensor):
    """(allowed max abs diff, where it came from)."""
    runs = manifest.get("runs")
    if isinstance(runs, dict):
        runs = list(runs.values())
    base = os.path.basename(rel_file)
    for r in runs or []:
        if isinstance(r, dict) and r.get("file") in (rel_file, base) and isinstance(r.get("tolerance"), dict):
            t = r["tolerance"]
            if isinstance(t.get(tensor), dict) and "max_abs_diff" in t[tensor]:
                return float(t[tensor]["max_abs_diff"]), "run." + tensor
            if "max_abs_diff" in t:
                return float(t["max_abs_diff"]), "run"
    t = manifest.get("tolerance") or {}
    pt = t.get("per_tensor") or {}
    if isinstance(pt.get(tensor), dict) and "max_abs_diff" in pt[tensor]:
        return float(pt[tensor]["max_abs_diff"]), "per_tensor"
    for key in ("max_abs_diff", "max_abs_diff_float", "max_rerun_abs_diff_over_grid"):
        if key in t and isinstance(t[key], (int, float)):
            return float(t[key]), key
    if "exact" in t:
        return 0.0, "exact"
    return 0.0, "none recorded (exact)"


def compare_tensor(g, n):
    """(max_abs, max_rel, max|golden|, problem or None)."""
    gdt, gshape, gv = g
    ndt, nshape, nv = n
    if gshape != nshape:
        return math.inf, math.inf, 0.0, "shape %s != golden %s" % (nshape, gshape)
    if gdt != ndt:
        return math.inf, math.inf, 0.0, "dtype %s != golden %s" % (ndt, gdt)
    gmax = max((abs(x) for x in gv), default=0.0)
    dmax = 0.0
    for a, b in zip(gv, nv):
        if a != b:
            if math.isnan(a) and math.isnan(b):
                continue
            d = abs(a - b)
            if math.isnan(d):
                return math.inf, math.inf, gmax, "NaN"
            if d > dmax:
                dmax = d
    rel = dmax / gmax if gmax > 0 else (0.0 if dmax == 0 else math.inf)
    return dmax, rel, gmax, None


def tensor_files(case_dir):
    out = []
    for root, _, files in os.walk(case_dir):
        for f in files:
            if f.endswith(".safetensors") or f.endswith(".latent") or f.endswith(".png"):
                out.append(os.path.relpath(os.path.join(root, f), case_dir))
    return sorted(out)


def manifest_for(golden_case, rel_file):
    """The manifest that governs rel_file: the nearest manifest.json above it (e2e/<case>/)."""
    d = os.path.dirname(os.path.join(golden_case, rel_file))
    while True:
        p = os.path.join(d, "manifest.json")
        if os.path.isfile(p):
            with open(p) as f:
                return json.load(f), os.path.relpath(os.path.join(golden_case, rel_file), d)
        if os.path.realpath(d) == os.path.realpath(golden_case) or len(d) <= 1:
            return {}, rel_file
        d = os.path.dirname(d)


def compare_case(golden, new, case, rel_slack=0.0, verbose=False, report=None, present_only=False):
    gcase, ncase = os.path.join(golden, case), os.path.join(new, case)
    ok, rows = True, []
    files = tensor_files(gcase)
    if not files:
        print("%s: no tensor files in golden" % case)
        return False
    case_worst_rel, case_worst_abs, n_tensors, n_exact = 0.0, 0.0, 0, 0
    for rel in files:
        nf = os.path.join(ncase, rel)
        if present_only and not os.path.isfile(nf):
            continue
        if not os.path.isfile(nf):
            print("  %-60s MISSING in new folder" % (case + "/" + rel))
            ok = False
            rows.append({"case": case, "file": rel, "problem": "missing file"})
            continue
        manifest, rel_in_manifest = manifest_for(gcase, rel)
        gt, nt = read_tensors(os.path.join(gcase, rel)), read_tensors(nf)
        worst = None
        for name in sorted(gt):
            if name not in nt:
                print("  %s/%s: tensor %s MISSING" % (case, rel, name))
                ok = False
                rows.append({"case": case, "file": rel, "tensor": name, "problem": "missing tensor"})
                continue
            dmax, rel_d, gmax, problem = compare_tensor(gt[name], nt[name])
            tol, src = tolerance_for(manifest, rel_in_manifest, "png" if rel.endswith(".png") else name)
            allowed = tol + rel_slack * gmax
            within = problem is None and dmax <= allowed
            n_tensors += 1
            n_exact += (dmax == 0.0 and problem is None)
            ok &= within
            row = {"case": case, "file": rel, "tensor": name, "max_abs_diff": dmax, "rel_diff": rel_d,
                   "max_abs_golden": gmax, "rerun_tolerance": tol, "tolerance_from": src, "within": within,
                   "problem": problem}
            rows.append(row)
            if problem is None:
                case_worst_abs = max(case_worst_abs, dmax)
                case_worst_rel = max(case_worst_rel, rel_d)
            if verbose or not within:
                print("  %-70s abs %-10.3g rel %-10.3g tol %-10.3g %s%s" % (
                    case + "/" + rel + ":" + name, dmax, rel_d, tol, "ok" if within else "OUT",
                    (" (" + problem + ")") if problem else ""))
            if worst is None or (not within, rel_d) > (not worst["within"], worst["rel_diff"]):
                worst = row
        extra = sorted(set(nt) - set(gt))
        if extra:
            print("  %s/%s: extra tensors not in golden: %s" % (case, rel, ", ".join(extra[:5])))
        if worst and not verbose:
            print("  %-60s worst %-40s abs %-10.3g rel %-10.3g tol %-10.3g %s" % (
                case + "/" + rel, worst["tensor"][:40], worst["max_abs_diff"], worst["rel_diff"],
                worst["rerun_tolerance"], "ok" if worst["within"] else "OUT"))
    if n_tensors == 0:
        ok = False
    print("%s: %s  %d tensors, %d bit-exact, max abs diff %.3g, max rel diff %.3g" % (
        case, "WITHIN rerun tolerance" if ok else "NOT within tolerance", n_tensors, n_exact,
        case_worst_abs, case_worst_rel))
    if report is not None:
        report.extend(rows)
    return ok


def self_test():
    """Builds a fake golden case, checks that an identical copy passes, and that a perturbed
    tensor, a missing tensor and a changed shape each fail."""
    tmp = tempfile.mkdtemp(prefix="golden-selftest-")
    try:
        g, n = os.path.join(tmp, "golden"), os.path.join(tmp, "new")
        for root in (g, n):
            os.makedirs(os.path.join(root, "demo"))
        tensors = {"a": ("F32", [2, 3], [0.5, -1.25, 3.0, 4.0, 5.5, -6.0]),
                   "tok": ("I64", [3], [49406, 320, 49407]),
                   "px": ("U8", [4], [0, 17, 254, 255])}
        manifest = {"case": "demo", "tolerance": {"max_abs_diff": 1e-3, "per_tensor": {
            "a": {"max_abs_diff": 1e-4, "max_abs_value": 6.0}, "tok": {"max_abs_diff": 0.0}, "px": {"max_abs_diff": 1}}}}
        with open(os.path.join(g, "demo", "manifest.json"), "w") as f:
            json.dump(manifest, f)
        write_safetensors(os.path.join(g, "demo", "data.safetensors"), tensors)
        results = []

        def run(label, new_tensors, expect):
            write_safetensors(os.path.join(n, "demo", "data.safetensors"), new_tensors)
            got = compare_case(g, n, "demo")
            results.append((label, got == expect))
            print("self-test %-28s %s" % (label, "passed" if got == expect else "FAILED (compare said %s)" % got))

        run("identical copy", dict(tensors), True)
        run("within tolerance (5e-5)", dict(tensors, a=("F32", [2, 3], [0.5 + 5e-5, -1.25, 3.0, 4.0, 5.5, -6.0])), True)
        run("perturbed tensor (1e-3)", dict(tensors, a=("F32", [2, 3], [0.5, -1.25, 3.0 + 1e-3, 4.0, 5.5, -6.0])), False)
        run("token off by one", dict(tensors, tok=("I64", [3], [49406, 321, 49407])), False)
        run("pixel off by 2", dict(tensors, px=("U8", [4], [0, 19, 254, 255])), False)
        run("missing tensor", {k: v for k, v in tensors.items() if k != "tok"}, False)
        run("changed shape", dict(tensors, a=("F32", [3, 2], tensors["a"][2])), False)
        bad = [label for label, good in results if not good]
        print("self-test: %d passed, %d failed" % (len(results) - len(bad), len(bad)))
        return not bad
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("new", nargs="?", help="regenerated folder (one sub-folder per case)")
    ap.add_argument("--golden", default=DEFAULT_GOLDEN)
    ap.add_argument("--case", action="append", help="case folder name (repeatable); default: every case in NEW")
    ap.add_argument("--rel-slack", type=float, default=0.0,
                    help="also allow this fraction of max|golden| on top of the rerun tolerance (default 0)")
    ap.add_argument("--present-only", action="store_true",
                    help="compare only the files the new folder has (a partial regeneration)")
    ap.add_argument("--json", help="write every tensor's numbers to this file")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args(argv)
    if a.self_test:
        return 0 if self_test() else 1
    if not a.new:
        ap.error("NEW folder required")
    cases = a.case or sorted(d for d in os.listdir(a.new) if os.path.isdir(os.path.join(a.new, d)))
    report, ok = [], True
    for case in cases:
        if not os.path.isdir(os.path.join(a.golden, case)):
            print("%s: not a golden case" % case)
            ok = False
            continue
        ok &= compare_case(a.golden, a.new, case, a.rel_slack, a.verbose, report, a.present_only)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    print("ALL WITHIN RERUN TOLERANCE" if ok else "SOME TENSORS NOT WITHIN RERUN TOLERANCE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
