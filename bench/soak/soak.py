#!/usr/bin/env python3
"""The soak bench's driver, against a stack that run.sh started: drops files into the two soak
shares (good C-MAPSS-like files and bad ones of every reason code it can make), submits run
requests through the training REST API, samples throughput, consumer lag, heap and RSS every
--interval seconds, and ends with an exact accounting of every input. Exit code 0 only when every
file became exactly one dataset version or exactly one quarantined file with the expected reason,
every accepted run request ended as exactly one run (completed, or failed with a reason), and no
dead letter is left unexplained. Standard library only."""
import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

# Reason codes this bench provokes, each by the file it writes (bad_file below). internal_error is
# not among them: it needs an input whose ingestion crashes the service limits.max-attempts times
# (the fault suite's kill -9 tests), which a file alone cannot ask for.
CMAPSS_REASONS = ["empty", "corrupt_gzip", "ragged_rows", "wrong_delimiter", "bad_value", "invalid_encoding",
                  "too_large", "line_too_long", "link_outside_share"]
AUTO_REASONS = ["invalid_json", "unknown_format", "no_rows", "schema_mismatch"]
REASONS = CMAPSS_REASONS + AUTO_REASONS
TERMINAL = {"completed", "failed", "canceled"}


def cmapss_rows(unit, rows, rnd):
    """C-MAPSS FD001-shaped rows: unit, cycle, three settings, 21 sensors, blank-separated."""
    out = []
    for cycle in range(1, rows + 1):
        settings = [rnd.gauss(0, 0.002), rnd.gauss(0, 0.0003), 100.0]
        sensors = [518.67 + rnd.gauss(0, 0.5) + 0.01 * cycle for _ in range(21)]
        out.append(" ".join([str(unit), str(cycle)] + ["%.4f" % v for v in settings + sensors]))
    return out


class Stack:
    """The running stack: service URLs from stack.json, the admin token."""

    def __init__(self, data):
        self.data = data
        with open(os.path.join(data, "stack.json")) as f:
            info = json.load(f)
        self.urls = info.get("services") or info.get("urls") or {}
        with open(os.path.join(data, "admin.token")) as f:
            self.token = f.read().strip()

    def url(self, service):
        for key, value in self.urls.items():
            if key.startswith(service):
                return value.rstrip("/")
        raise KeyError("no %s in stack.json: %s" % (service, self.urls))

    def call(self, service, method, path, body=None, auth=True, timeout=30):
        req = urllib.request.Request(self.url(service) + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return r.status, text


class Files:
    """Writes the inputs: each lands in its share by a rename, so no half file is ever seen."""

    def __init__(self, data, total, seed):
        self.data = data
        self.total = total
        self.rnd = random.Random(seed)
        self.staging = os.path.join(data, "soak-staging")
        self.outside = os.path.join(data, "soak-outside")
        self.shares = {"cmapss": os.path.join(data, "shares", "soak"), "auto": os.path.join(data, "shares", "soak-auto")}
        for d in [self.staging, self.outside] + list(self.shares.values()):
            os.makedirs(d, exist_ok=True)
        self.expected = {}  # file name -> "version" or a reason code
        self.share_of = {}  # file name -> share key
        self.dropped = 0
        self.bad = 0

    def drop(self, i):
        """File i: every tenth is bad, cycling through the reason codes."""
        if i % 10 == 9:
            reason = REASONS[self.bad % len(REASONS)]
            self.bad += 1
            name, share, payload = self.bad_file(i, reason)
            self.expected[name] = reason
        else:
            name, share, payload = "good-%06d.txt" % i, "cmapss", ("\n".join(cmapss_rows(i, 20, self.rnd)) + "\n").encode()
            self.expected[name] = "version"
        self.share_of[name] = share
        target = os.path.join(self.shares[share], name)
        if payload is None:  # a link leading out of the share
            outside = os.path.join(self.outside, name)
            with open(outside, "w") as f:
                f.write("\n".join(cmapss_rows(i, 5, self.rnd)) + "\n")
            os.symlink(outside, target)
        else:
            staged = os.path.join(self.staging, name)
            with open(staged, "wb") as f:
                f.write(payload)
            os.rename(staged, target)
        self.dropped += 1

    def bad_file(self, i, reason):
        good = cmapss_rows(i, 6, self.rnd)
        base = "bad-%06d-%s" % (i, reason.replace("_", "-"))
        if reason == "empty":
            return base + ".txt", "cmapss", b""
        if reason == "corrupt_gzip":
            whole = gzip.compress(("\n".join(good) + "\n").encode())
            return base + ".txt.gz", "cmapss", whole[: len(whole) // 2]
        if reason == "ragged_rows":
            good[2] = good[2].rsplit(" ", 1)[0]
            return base + ".txt", "cmapss", ("\n".join(good) + "\n").encode()
        if reason == "wrong_delimiter":
            return base + ".txt", "cmapss", ("\n".join(r.replace(" ", ",") for r in good) + "\n").encode()
        if reason == "bad_value":
            fields = good[3].split(" ")
            fields[7] = "n/a"
            good[3] = " ".join(fields)
            return base + ".txt", "cmapss", ("\n".join(good) + "\n").encode()
        if reason == "invalid_encoding":
            return base + ".txt", "cmapss", ("\n".join(good[:2]) + "\n").encode() + b"1 3 \xff\xfe 0.1\n"
        if reason == "too_large":  # over the share's max-file-size (64 KB, set by run.sh): quarantined unread
            rows = cmapss_rows(i, 500, self.rnd)
            return base + ".txt", "cmapss", ("\n".join(rows) + "\n").encode()
        if reason == "line_too_long":  # over limits.max-line-length (16 KB, set by run.sh), under max-file-size
            return base + ".txt", "cmapss", (good[0] + "\n" + "1" * 20000 + "\n").encode()
        if reason == "link_outside_share":
            return base + ".txt", "cmapss", None
        if reason == "invalid_json":
            return base + ".jsonl", "auto", ('{"unit": %d, "cycle": 1}\n[1, 2, 3]\n' % i).encode()
        if reason == "unknown_format":
            return base + ".bin", "auto", ("unit %d\n" % i).encode()
        if reason == "no_rows":
            return base + ".csv", "auto", ("unit,cycle,sensor_%d\n" % i).encode()
        if reason == "schema_mismatch":  # a header naming one column twice
            return base + ".csv", "auto", ("unit,unit\n%d,1\n" % i).encode()
        raise ValueError(reason)


class Runs:
    """Submits run requests of the soak experiment, each on the soak dataset's version 1."""

    def __init__(self, stack, total):
        self.stack = stack
        self.total = total
        self.accepted = []
        self.refused = {}  # reason -> count
        self.submitted = 0

    def submit(self):
        body = {"experiment": "soak", "datasets": [{"name": "soak", "version": 1}]}
        try:
            status, text = self.stack.call("training", "POST", "/api/runs", body)
            self.accepted.append(json.loads(text)["runId"])
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            try:
                detail = json.loads(detail).get("detail") or json.loads(detail).get("message") or detail
            except ValueError:
                pass
            key = "HTTP %d: %s" % (e.code, str(detail)[:120])
            self.refused[key] = self.refused.get(key, 0) + 1
        except (urllib.error.URLError, OSError) as e:
            key = "no answer: %s" % e
            self.refused[key] = self.refused.get(key, 0) + 1
        self.submitted += 1

    def statuses(self):
        """Run id -> run view, for the soak experiment (the API returns at most 1000 per status)."""
        out = {}
        for status in ["queued", "preparing", "running", "completed", "failed", "canceled"]:
            _, text = self.stack.call("training", "GET", "/api/runs?experiment=soak&status=%s&limit=1000" % status)
            for run in json.loads(text):
                # Twice in one status's list is a duplicate; in two lists, a run that moved between the calls.
                if run["id"] in out and out[run["id"]]["status"] == run["status"]:
                    out[run["id"] + "#dup"] = run
                out[run["id"]] = run
        return out


def prometheus(stack, service):
    try:
        _, text = stack.call(service, "GET", "/actuator/prometheus", auth=False, timeout=10)
        return text
    except (urllib.error.URLError, OSError):
        return ""


def metric_lines(text, name):
    """(labels dict, value) of every sample of the metric NAME."""
    out = []
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            m = re.match(r'[^{ ]+(?:\{(.*)\})? (\S+)', line)
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1) or ""))
            out.append((labels, float(m.group(2))))
    return out


def lag_by_group(stack):
    """Consumer lag per consumer group, summed over topics and partitions, from the Kafka binder's
    own gauge (spring.cloud.stream.binder.kafka.offset: end offset minus committed offset), as
    each service reports it for its groups."""
    lags = {}
    for service in ["ingest", "training", "packaging", "deploy"]:
        for labels, value in metric_lines(prometheus(stack, service), "spring_cloud_stream_binder_kafka_offset"):
            group = labels.get("group", "?")
            # A negative value is no lag (a soak once read -1, offsets the binder could not read
            # at that moment): unknown, so left out of the sum rather than lowering it.
            if value >= 0:
                lags[group] = lags.get(group, 0) + value
    return lags


def heap_bytes(stack):
    return sum(v for labels, v in metric_lines(prometheus(stack, "ingest"), "jvm_memory_used_bytes") if labels.get("area") == "heap")


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid):
    """RSS of the process and all its descendants (the embedded PostgreSQL's processes among them)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss_kb(p)
        todo += children.get(p, [])
    return total


def landed(files):
    """Per file name: where it is now: [("version", dataset, version)], [("quarantine", reason)], ..."""
    found = {}
    for share in files.shares.values():
        q = os.path.join(share, ".quarantine")
        if not os.path.isdir(q):
            continue
        for name in os.listdir(q):
            if name.endswith(".reason.json"):
                continue
            reason = "?"
            try:
                with open(os.path.join(q, name + ".reason.json")) as f:
                    r = json.load(f)
                reason = r.get("reason") or r.get("reasonCode") or r.get("code") or "?"
            except (OSError, ValueError):
                reason = "no reason file"
            found.setdefault(name, []).append(("quarantine", str(reason).lower()))
    return found


def versions(stack, dataset):
    try:
        _, text = stack.call("ingest", "GET", "/api/datasets/" + dataset)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return []
        raise
    return json.loads(text).get("versions", [])


def source_name(entry):
    """The file name a version came from, whatever the index calls the field."""
    for key in ["source", "sourceItem", "item", "sourceName", "name"]:
        value = entry.get(key)
        if isinstance(value, dict):
            value = value.get("name") or value.get("item") or value.get("uri")
        if isinstance(value, str) and value:
            return value.rsplit("/", 1)[-1]
    return None


def dead_letters(root, data):
    """The dead letters of every topic, through the launcher's own `edgeloop dlq list`."""
    env = dict(os.environ, EDGELOOP_DATA_DIR=data)
    p = subprocess.run([os.path.join(root, "edgeloop"), "dlq", "list", "--limit", "100000", "-o", "json"],
                       cwd=root, env=env, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None, (p.stderr or p.stdout).strip()
    try:
        return json.loads(p.stdout or "[]"), None
    except ValueError:
        return None, "not JSON: " + p.stdout[:300]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the JVM of ./edgeloop up")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=0, help="files dropped per second (0: as fast as they can be written)")
    ap.add_argument("--interval", type=float, default=10)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds from the first file to the end of the accounting")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()

    stack = Stack(a.data)
    files = Files(a.data, a.files, a.seed)
    runs = Runs(stack, a.runs)
    started = time.time()
    deadline = started + a.timeout
    errors = []

    def drop_all():
        for i in range(a.files):
            if a.rate > 0:
                time.sleep(max(0.0, started + i / a.rate - time.time()))
            files.drop(i)

    def submit_all():
        # Runs train on soak v1, so they wait for it; then they follow the files' progress, so that
        # runs and files load the stack at the same time.
        while not versions(stack, "soak") and time.time() < deadline:
            time.sleep(1)
        for j in range(a.runs):
            while files.dropped < a.files and files.dropped * a.runs < j * a.files and time.time() < deadline:
                time.sleep(0.05)
            runs.submit()

    dropper = threading.Thread(target=drop_all, daemon=True)
    submitter = threading.Thread(target=submit_all, daemon=True)
    dropper.start()
    submitter.start()

    print("%7s %7s %7s %8s %7s %6s %6s %6s %6s %8s %8s %8s  %s" % (
        "t_s", "dropped", "landed", "files/s", "submit", "queued", "done", "failed", "runs/s", "heap_MB", "rss_MB", "tree_MB",
        "lag per consumer group"), flush=True)
    last_t, last_landed, last_ended = started, 0, 0
    peak = {"heap": 0, "rss": 0, "tree": 0, "lag": 0}
    while True:
        time.sleep(a.interval)
        now = time.time()
        try:
            n_versions = len(versions(stack, "soak")) + len(versions(stack, "soak-auto"))
            n_quarantined = sum(len(v) for v in landed(files).values())
            statuses = runs.statuses()
        except (urllib.error.URLError, OSError, ValueError) as e:
            print("%7.0f sample failed: %s" % (now - started, e), flush=True)
            if now > deadline:
                break
            continue
        count = {}
        for run in statuses.values():
            count[run["status"]] = count.get(run["status"], 0) + 1
        ended = sum(count.get(s, 0) for s in TERMINAL)
        n_landed = n_versions + n_quarantined
        lags = lag_by_group(stack)
        heap = heap_bytes(stack) / 2**20
        rss = rss_kb(a.pid) / 1024
        tree = tree_rss_kb(a.pid) / 1024
        peak["heap"], peak["rss"], peak["tree"] = max(peak["heap"], heap), max(peak["rss"], rss), max(peak["tree"], tree)
        peak["lag"] = max([peak["lag"]] + list(lags.values()))
        dt = now - last_t
        print("%7.0f %7d %7d %8.1f %7d %6d %6d %6d %6.2f %8.0f %8.0f %8.0f  %s" % (
            now - started, files.dropped, n_landed, (n_landed - last_landed) / dt, runs.submitted,
            count.get("queued", 0) + count.get("preparing", 0) + count.get("running", 0), count.get("completed", 0),
            count.get("failed", 0) + count.get("canceled", 0), (ended - last_ended) / dt, heap, rss, tree,
            " ".join("%s=%d" % kv for kv in sorted(lags.items())) or "-"), flush=True)
        last_t, last_landed, last_ended = now, n_landed, ended
        all_in = files.dropped == a.files and n_landed >= a.files
        runs_in = runs.submitted == a.runs and ended >= len(runs.accepted)
        if (all_in and runs_in) or now > deadline:
            break
    elapsed = time.time() - started
    print()
    print("measured in %.0f s (load average %s); peaks: heap %.0f MB, JVM RSS %.0f MB, process tree RSS %.0f MB, consumer lag %d" % (
        elapsed, open("/proc/loadavg").read().split()[0], peak["heap"], peak["rss"], peak["tree"], peak["lag"]))
    return account(a, stack, files, runs, elapsed, errors)


def account(a, stack, files, runs, elapsed, errors):
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print("  MISMATCH: " + msg)

    print("accounting")
    # Files: each one exactly once, as a version (good) or in quarantine with its reason (bad).
    where = landed(files)
    by_version = {}
    for dataset in ["soak", "soak-auto"]:
        entries = versions(stack, dataset)
        numbers = [e.get("version") for e in entries]
        if len(set(numbers)) != len(numbers):
            fail("dataset %s has a version number twice" % dataset)
        for e in entries:
            name = source_name(e)
            by_version.setdefault(name, []).append(("version", dataset, e.get("version")))
            where.setdefault(name, []).append(("version", dataset, e.get("version")))
    n_versions = sum(len(v) for v in by_version.values())
    n_quarantined = sum(1 for v in where.values() for w in v if w[0] == "quarantine")
    reasons = {}
    lost = duplicated = wrong = 0
    for name, expected in files.expected.items():
        got = where.get(name, [])
        if not got:
            lost += 1
            if lost <= 5:
                fail("%s (%s) is neither a version nor quarantined" % (name, expected))
            continue
        if len(got) > 1:
            duplicated += 1
            if duplicated <= 5:
                fail("%s (%s) landed %d times: %s" % (name, expected, len(got), got))
        kind = got[0][0] if expected == "version" else got[0][1] if got[0][0] == "quarantine" else "version"
        if kind != expected:
            wrong += 1
            if wrong <= 5:
                fail("%s: expected %s, got %s" % (name, expected, got))
        if expected != "version":
            reasons[got[0][1] if got[0][0] == "quarantine" else "version"] = reasons.get(got[0][1] if got[0][0] == "quarantine" else "version", 0) + 1
    unknown = [n for n in where if n not in files.expected]
    if unknown:
        fail("%d versions or quarantined files come from no file dropped: %s" % (len(unknown), unknown[:5]))
    left = [n for s in files.shares.values() for n in os.listdir(s) if not n.startswith(".")]
    outside_ok = all(os.path.isfile(os.path.join(files.outside, n)) for n in os.listdir(files.outside))
    if not outside_ok:
        fail("a link target outside the share was touched")
    print("  files dropped %d (good %d, bad %d) = dataset versions %d + quarantined %d%s" % (
        files.dropped, files.dropped - files.bad, files.bad, n_versions, n_quarantined,
        "" if files.dropped == n_versions + n_quarantined else "  <- does not add up"))
    if files.dropped != n_versions + n_quarantined:
        fail("files dropped != versions + quarantined")
    print("  lost %d, duplicated %d, wrong outcome %d, still in the shares %d" % (lost, duplicated, wrong, len(left)))
    print("  quarantined by reason: %s" % " ".join("%s=%d" % kv for kv in sorted(reasons.items())))
    missing = [r for r in REASONS if r not in reasons] if files.bad >= len(REASONS) else []
    if missing:
        fail("reason codes never seen: %s" % missing)

    # Runs: each request accepted ended exactly once; each refusal has its reason.
    statuses = runs.statuses()
    mine = [statuses.get(r) for r in runs.accepted]
    dup = [k for k in statuses if k.endswith("#dup")]
    extra = [k for k in statuses if k not in set(runs.accepted) and not k.endswith("#dup")]
    completed = sum(1 for r in mine if r and r["status"] == "completed")
    failed = [r for r in mine if r and r["status"] in ("failed", "canceled")]
    unexplained = [r for r in failed if not (r.get("failureReason") or r.get("error"))]
    unfinished = [rid for rid, r in zip(runs.accepted, mine) if not r or r["status"] not in TERMINAL]
    n_refused = sum(runs.refused.values())
    print("  run requests %d = completed %d + failed with a reason %d + refused with a reason %d + not ended %d" % (
        runs.submitted, completed, len(failed) - len(unexplained), n_refused, len(unfinished)))
    fail_reasons = {}
    for r in failed:
        key = r.get("failureReason") or "(none)"
        fail_reasons[key] = fail_reasons.get(key, 0) + 1
    if fail_reasons:
        print("  failed by reason: %s" % " ".join("%s=%d" % kv for kv in sorted(fail_reasons.items())))
    for reason, n in sorted(runs.refused.items()):
        print("  refused %d: %s" % (n, reason))
    if runs.submitted != a.runs or completed + len(failed) + n_refused != a.runs or unexplained or unfinished:
        fail("runs do not add up (unexplained failures %d, not ended %d)" % (len(unexplained), len(unfinished)))
    if dup or extra:
        fail("runs listed twice %d, runs of the soak experiment nobody asked for %d" % (len(dup), len(extra)))
    try:
        _, text = stack.call("training", "GET", "/api/models/soak/versions")
        model_versions = len(json.loads(text))
    except urllib.error.HTTPError as e:
        model_versions = 0 if e.code == 404 else -1
    print("  model versions of 'soak' %d (one per completed run: %d)" % (model_versions, completed))
    if model_versions != completed:
        fail("model versions != completed runs")

    # Dead letters: none expected (every bad file is quarantined, not dead-lettered).
    letters, err = dead_letters(a.root, a.data)
    if letters is None:
        fail("could not list dead letters: %s" % err)
    else:
        print("  dead letters %d" % len(letters))
        if letters:
            fail("dead letters: %s" % json.dumps(letters[:3])[:500])
    print("RESULT: %s (%d files, %d run requests, %.0f s)" % ("OK, every input accounted for once" if ok else "FAILED",
                                                          files.dropped, runs.submitted, elapsed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
