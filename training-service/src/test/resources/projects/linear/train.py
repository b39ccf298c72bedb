"""A tiny training script for edgeloop's script runs: fits y = a*x + b on every CSV under
$EDGELOOP_DATA by least squares (pure Python, so it runs on any python3), logs metrics to
outputs/metrics.jsonl and writes outputs/model.onnx by hand-encoding the ONNX protobuf
(MatMul + Add, input `features` FP32 [N,1], output `variable` FP32 [N,1])."""
import argparse
import csv
import glob
import json
import math
import os
import struct
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--x", default="x")
p.add_argument("--y", default="y")
p.add_argument("--perturb", type=float, default=0.0, help="added to the slope: a worse model on purpose")
p.add_argument("--exit-code", type=int, default=0)
p.add_argument("--hang", action="store_true")
p.add_argument("--no-model", action="store_true")
p.add_argument("--sleep", type=float, default=0.0, help="seconds to wait before training (crash tests)")
args = p.parse_args()
if args.hang:
    # Before anything slow (importing numpy can take seconds on a loaded machine): the timeout
    # test expects this line in the run's log before the run is stopped.
    print("hanging on purpose", flush=True)
    time.sleep(3600)
try:
    import numpy
    print("numpy %s available" % numpy.__version__, flush=True)
except ImportError:
    print("numpy not available: pure Python it is", flush=True)

data = os.environ["EDGELOOP_DATA"]
out = os.environ.get("EDGELOOP_OUTPUTS", "outputs")
rows = []
for f in sorted(glob.glob(os.path.join(data, "**", "*.csv"), recursive=True)):
    with open(f) as fh:
        rows += [(float(r[args.x]), float(r[args.y])) for r in csv.DictReader(fh)]
print("read %d rows from %s (datasets %s)" % (len(rows), data, os.environ.get("EDGELOOP_DATASETS")), flush=True)
try:
    open(os.path.join(data, "probe"), "w").close()
    print("data folder is writable", flush=True)
except OSError:
    print("data folder is read-only", flush=True)
if args.sleep:
    print("sleeping %.1f s" % args.sleep, flush=True)
    time.sleep(args.sleep)
if args.exit_code:
    print("something went wrong on purpose", file=sys.stderr, flush=True)
    sys.exit(args.exit_code)

train = [r for i, r in enumerate(rows) if i % 5]
hold = [r for i, r in enumerate(rows) if i % 5 == 0]
mx = sum(x for x, _ in train) / len(train)
my = sum(y for _, y in train) / len(train)
a = sum((x - mx) * (y - my) for x, y in train) / sum((x - mx) ** 2 for x, _ in train)
b = my - a * mx
a += args.perturb
rmse = math.sqrt(sum((a * x + b - y) ** 2 for x, y in hold) / len(hold))
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "metrics.jsonl"), "w") as m:
    for step in range(3):
        m.write(json.dumps({"key": "loss", "value": rmse * (3 - step), "step": step}) + "\n")
    m.write(json.dumps({"key": "rmse", "value": rmse}) + "\n")
    m.write(json.dumps({"key": "train_rows", "value": len(train)}) + "\n")
with open(os.path.join(out, "coefficients.json"), "w") as c:
    json.dump({"a": a, "b": b}, c)
print("a=%.4f b=%.4f rmse=%.4f" % (a, b, rmse), flush=True)
if args.no_model:
    sys.exit(0)


def varint(n):
    buf = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        buf += bytes([byte | 0x80]) if n else bytes([byte])
        if not n:
            return buf


def vi(field, n):
    return varint(field << 3) + varint(n)


def ld(field, payload):
    return varint((field << 3) | 2) + varint(len(payload)) + payload


def s(field, text):
    return ld(field, text.encode())


def tensor(name, dims, values):
    return b"".join(vi(1, d) for d in dims) + vi(2, 1) + ld(4, struct.pack("<%df" % len(values), *values)) + s(8, name)


def value_info(name, dims):
    shape = b"".join(ld(1, s(2, d) if isinstance(d, str) else vi(1, d)) for d in dims)
    return s(1, name) + ld(2, ld(1, vi(1, 1) + ld(2, shape)))


def node(inputs, outputs, op, name):
    return b"".join(s(1, i) for i in inputs) + b"".join(s(2, o) for o in outputs) + s(3, name) + s(4, op)


graph = (ld(1, node(["features", "W"], ["xw"], "MatMul", "matmul"))
         + ld(1, node(["xw", "B"], ["variable"], "Add", "add"))
         + s(2, "linear")
         + ld(5, tensor("W", [1, 1], [a]))
         + ld(5, tensor("B", [1], [b]))
         + ld(11, value_info("features", ["N", 1]))
         + ld(12, value_info("variable", ["N", 1])))
model = vi(1, 8) + s(2, "edgeloop-test-script") + ld(7, graph) + ld(8, s(1, "") + vi(2, 13))
with open(os.path.join(out, "model.onnx"), "wb") as f:
    f.write(model)
print("wrote model.onnx (%d bytes)" % len(model), flush=True)
