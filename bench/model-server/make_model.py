#!/usr/bin/python3
"""Writes the bench model: an edgeloop model package (model.onnx + edgeloop-model.json) holding a
linear regression over 24 features (the C-MAPSS raw width), plus the same coefficients as JSON for
the Python peer, and one single-row request body. Standard library only: the ONNX protobuf is
encoded by hand (field numbers from onnx.proto), like the Java tests do."""
import hashlib, json, os, random, struct, sys

F = 24
out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/edgeloop-bench"
rng = random.Random(42)
weights = [round(rng.uniform(-2, 2), 4) for _ in range(F)]
bias = 3.5

def varint(v):
    b = bytearray()
    while v & ~0x7F:
        b.append((v & 0x7F) | 0x80); v >>= 7
    b.append(v); return bytes(b)

def fv(field, v): return varint(field << 3) + varint(v)
def fb(field, data):
    if isinstance(data, str): data = data.encode()
    return varint(field << 3 | 2) + varint(len(data)) + data

def value_info(name, dims):
    shape = b"".join(fb(1, fb(2, "N") if d is None else fv(1, d)) for d in dims)
    return fb(1, name) + fb(2, fb(1, fv(1, 1) + fb(2, shape)))  # elem_type FLOAT

def tensor(name, values, dims):
    return b"".join(fv(1, d) for d in dims) + fv(2, 1) + fb(8, name) + fb(9, struct.pack("<%df" % len(values), *values))

graph = (fb(1, fb(1, "features") + fb(1, "W") + fb(2, "mm") + fb(3, "matmul") + fb(4, "MatMul"))
         + fb(1, fb(1, "mm") + fb(1, "B") + fb(2, "variable") + fb(3, "add") + fb(4, "Add"))
         + fb(2, "bench-linear")
         + fb(5, tensor("W", weights, [F, 1])) + fb(5, tensor("B", [bias], [1]))
         + fb(11, value_info("features", [None, F])) + fb(12, value_info("variable", [None, 1])))
onnx = fv(1, 8) + fb(2, "edgeloop-bench") + fb(7, graph) + fb(8, fb(1, "") + fv(2, 13))

pkg = os.path.join(out, "package")
os.makedirs(pkg, exist_ok=True)
open(os.path.join(pkg, "model.onnx"), "wb").write(onnx)
manifest = {
    "name": "bench-linear", "version": 1, "task": "regression",
    "onnxSha256": hashlib.sha256(onnx).hexdigest(),
    "signature": {"inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, F]}],
                  "outputs": [{"name": "variable", "datatype": "FP32", "shape": [-1, 1]}]},
}
json.dump(manifest, open(os.path.join(pkg, "edgeloop-model.json"), "w"), indent=2)
json.dump({"weights": weights, "bias": bias}, open(os.path.join(out, "coefficients.json"), "w"))
row = [round(rng.uniform(-1, 1) * 10, 3) for _ in range(F)]
body = {"id": "bench", "inputs": [{"name": "features", "datatype": "FP32", "shape": [1, F], "data": row}]}
open(os.path.join(out, "request.json"), "w").write(json.dumps(body, separators=(",", ":")))
print("expected prediction", bias + sum(w * x for w, x in zip(weights, row)))
print("wrote", pkg, "and", os.path.join(out, "coefficients.json"), os.path.join(out, "request.json"))
