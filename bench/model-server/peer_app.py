#!/usr/bin/python3
"""The peer: the same linear model served the way Azure ML / MLflow scoring images do it, a Flask app
under gunicorn calling scikit-learn, speaking the same OIP v2 JSON so the same wrk script drives
both. Run from Debian's packages: /usr/bin/python3 with python3-sklearn, python3-flask, gunicorn.
    EDGELOOP_BENCH_DIR=/tmp/edgeloop-bench gunicorn -w 2 -b 127.0.0.1:18081 --chdir <this dir> peer_app:app
"""
import json, os

import numpy as np
from flask import Flask, jsonify, request
from sklearn.linear_model import LinearRegression

bench_dir = os.environ.get("EDGELOOP_BENCH_DIR", "/tmp/edgeloop-bench")
coefficients = json.load(open(os.path.join(bench_dir, "coefficients.json")))
model = LinearRegression()
model.coef_ = np.array(coefficients["weights"], dtype=np.float64)
model.intercept_ = float(coefficients["bias"])
model.n_features_in_ = len(coefficients["weights"])

app = Flask(__name__)


@app.get("/v2/health/ready")
def ready():
    return "", 200


@app.post("/v2/models/bench-linear/infer")
def infer():
    body = request.get_json()
    tensor = body["inputs"][0]
    x = np.asarray(tensor["data"], dtype=np.float32).reshape(tensor["shape"])
    y = model.predict(x).astype(np.float32).reshape(-1, 1)
    return jsonify({"model_name": "bench-linear", "model_version": "1", "id": body.get("id"),
                    "outputs": [{"name": "variable", "datatype": "FP32", "shape": list(y.shape),
                                 "data": y.ravel().tolist()}]})
