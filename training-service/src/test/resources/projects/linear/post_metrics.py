"""How a running script logs a metric through the tracking API: POST /api/runs/$EDGELOOP_RUN_ID/metrics
with its own token, $EDGELOOP_RUN_TOKEN (the only credential the service accepts for that run).
The service's URL is not part of a run's environment: this test passes it as TRAINING_URL
through settings.env. Prints the status of three attempts: with the run's token, with no token, and
with the run's token against another run."""
import json
import os
import urllib.error
import urllib.request

base = os.environ["TRAINING_URL"]
run = os.environ["EDGELOOP_RUN_ID"]
token = os.environ["EDGELOOP_RUN_TOKEN"]


def post(run_id, bearer):
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    body = json.dumps({"key": "posted", "value": 1.5, "step": 1}).encode()
    request = urllib.request.Request(base + "/api/runs/" + run_id + "/metrics", data=body, headers=headers, method="POST")
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as e:
        return e.code


print("own token: %d" % post(run, token), flush=True)
print("no token: %d" % post(run, None), flush=True)
print("other run: %d" % post("not-" + run, token), flush=True)
