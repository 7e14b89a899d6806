"""Pure-Python stand-in for ``safetensors._safetensors_rust``.

The harness runs the real ``safetensors`` Python package (``safetensors/__init__.py`` and
``safetensors/torch.py`` from the safetensors repository, on PYTHONPATH) so that ComfyUI's
``comfy.utils.load_torch_file`` / ``save_torch_file`` run unchanged.  That package's compiled
Rust extension is not available from Debian 12, so this module implements the same five
entry points (``safe_open``, ``serialize``, ``serialize_file``, ``deserialize``,
``SafetensorError``) for the file format, which is: 8-byte little-endian header length, a JSON
header ``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}``
padded with spaces to a multiple of 8, then the raw little-endian tensor bytes.

It does no arithmetic on tensor values: bytes in, the same bytes out.
``bootstrap.py`` registers it as ``sys.modules["safetensors._safetensors_rust"]`` before the
safetensors package is imported.
"""
import json
import struct

__version__ = "0.6.2+harness-py"

# torch dtype name (as safetensors.torch._flatten spells it) -> safetensors dtype code
_CODES = {
    "float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16",
    "int64": "I64", "int32": "I32", "int16": "I16", "int8": "I8", "uint8": "U8",
    "bool": "BOOL", "float8_e4m3fn": "F8_E4M3", "float8_e5m2": "F8_E5M2",
    "uint64": "U64", "uint32": "U32", "uint16": "U16",
}
# the Rust writer orders tensors by dtype alignment (largest first), then by name
_ALIGN = {"F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2,
          "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}


class SafetensorError(Exception):
    pass


def _code(dtype):
    if dtype in _ALIGN:
        return dtype
    try:
        return _CODES[dtype]
    except KeyError:
        raise SafetensorError("unsupported dtype " + str(dtype))


def serialize(tensor_dict, metadata=None):
    items = []
    for name, v in tensor_dict.items():
        items.append((name, _code(v["dtype"]), [int(s) for s in v["shape"]], bytes(v["data"])))
    items.sort(key=lambda t: (-_ALIGN[t[1]], t[0]))
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(val) for k, val in metadata.items()}
    offset = 0
    for name, code, shape, data in items:
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(t[3] for t in items)


def serialize_file(tensor_dict, filename, metadata=None):
    with open(filename, "wb") as f:
        f.write(serialize(tensor_dict, metadata))


def _parse(buf):
    if len(buf) < 8:
        raise SafetensorError("HeaderTooSmall")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > 100_000_000 or 8 + n > len(buf):
        raise SafetensorError("HeaderTooLarge" if n > 100_000_000 else "MetadataIncompleteBuffer")
    header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    return header, metadata, 8 + n


def deserialize(data):
    header, _, start = _parse(data)
    out = []
    for name in sorted(header, key=lambda k: header[k]["data_offsets"][0]):
        h = header[name]
        b, e = h["data_offsets"]
        out.append((name, {"dtype": h["dtype"], "shape": h["shape"], "data": bytes(data[start + b:start + e])}))
    return out


class safe_open:
    def __init__(self, filename, framework="pt", device="cpu"):
        if framework not in ("pt", "torch", "pytorch"):
            raise SafetensorError("only framework='pt' is supported by the harness stand-in")
        with open(filename, "rb") as f:
            self._buf = f.read()
        self._header, self._metadata, self._start = _parse(self._buf)
        self._device = device

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def keys(self):
        return sorted(self._header)

    def offset_keys(self):
        return sorted(self._header, key=lambda k: self._header[k]["data_offsets"][0])

    def metadata(self):
        return self._metadata

    def get_tensor(self, name):
        import torch
        from safetensors.torch import _getdtype
        h = self._header[name]
        b, e = h["data_offsets"]
        dtype = _getdtype(h["dtype"])
        if e == b:
            t = torch.empty(h["shape"], dtype=dtype)
        else:
            t = torch.frombuffer(bytearray(self._buf[self._start + b:self._start + e]), dtype=dtype).reshape(h["shape"])
        if self._device not in (None, "cpu"):
            t = t.to(self._device)
        return t


class _safe_open_handle(safe_open):
    pass
