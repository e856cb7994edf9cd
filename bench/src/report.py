#!/usr/bin/env python3
"""Turns one bench/run's raw figures into the results file (markdown) and its data (JSON).

  report.py RAW_DIR OUT.md OUT.json

RAW_DIR holds events.jsonl (one JSON object per event, written by bench/run), machine.json,
rss.txt ("epoch service rss_kB", sampled twice a second), gc-<service>-*.log (the JVM's
-Xlog:gc with wall-clock time: heap before->after every collection) and wrk-*.txt.
Ratios are modproxy / reference, so >1 is faster for throughput and slower for times.
"""
import glob
import json
import os
import re
import statistics
import sys
from datetime import datetime

raw, out_md, out_json = sys.argv[1:4]
events = [json.loads(l) for l in open(os.path.join(raw, "events.jsonl")) if l.strip()]
machine = json.load(open(os.path.join(raw, "machine.json")))
config = next(e for e in events if e["kind"] == "config")

# ---- phases and memory
phases = {}
for e in events:
    if e["kind"] == "phase":
        phases.setdefault(e["name"], {})[e["edge"]] = e["t"]

rss = []
if os.path.exists(os.path.join(raw, "rss.txt")):
    for line in open(os.path.join(raw, "rss.txt")):
        p = line.split()
        if len(p) == 3:
            rss.append((float(p[0]), p[1], int(p[2])))

UNIT = {"K": 1 / 1024, "M": 1, "G": 1024}
GC_LINE = re.compile(r"^\[([^\]]+)\].*?Pause.*?(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)")
gc = []  # (epoch, service, before MB, after MB, committed MB)
for path in glob.glob(os.path.join(raw, "gc-*.log")):
    service = os.path.basename(path).split("-")[1]
    for line in open(path):
        m = GC_LINE.match(line)
        if not m:
            continue
        t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        gc.append((t, service, int(m.group(2)) * UNIT[m.group(3)], int(m.group(4)) * UNIT[m.group(5)],
                   int(m.group(6)) * UNIT[m.group(7)]))

heap_end = {}
for e in events:
    if e["kind"] == "heap_info":
        u = e["used"]
        mb = None
        if u and u[-1] in "KMG" and u[:-1].isdigit():
            mb = int(u[:-1]) * UNIT[u[-1]]
        heap_end[(e["phase"], e["service"])] = mb


def memory(phase):
    p = phases.get(phase)
    if not p or "start" not in p or "end" not in p:
        return {}
    a, b = p["start"], p["end"]
    out = {}
    for t, s, kb in rss:
        if a <= t <= b:
            d = out.setdefault(s, {"rss_max_mb": 0})
            d["rss_max_mb"] = max(d["rss_max_mb"], round(kb / 1024))
    for t, s, before, after, committed in gc:
        if a <= t <= b:
            d = out.setdefault(s, {"rss_max_mb": None})
            d["gcs"] = d.get("gcs", 0) + 1
            d["heap_peak_mb"] = round(max(d.get("heap_peak_mb", 0), before))
            d["heap_live_max_mb"] = round(max(d.get("heap_live_max_mb", 0), after))
            d["heap_committed_mb"] = round(max(d.get("heap_committed_mb", 0), committed))
    for (ph, s), mb in heap_end.items():
        if ph == phase and s in out and mb is not None:
            out[s]["heap_used_at_end_mb"] = round(mb)
    return out


def wrk(label):
    e = next((e for e in events if e["kind"] == "wrk" and e["label"] == label), None)
    if not e:
        return None
    r = e["result"]
    secs = r["duration_us"] / 1e6
    hz = os.sysconf("SC_CLK_TCK")
    cpu = e.get("server_cpu_ticks", 0) / hz
    busy, idle = e.get("machine_busy_ticks", 0), e.get("machine_idle_ticks", 0)
    return {"server_cpu_s": cpu, "cpu_us_per_req": cpu * 1e6 / max(r["requests"], 1),
            "machine_busy_pct": 100 * busy / max(busy + idle, 1), "rps": r["requests"] / secs, "mb_s": r["bytes"] / secs / 1e6, "p50_ms": r["p50_us"] / 1000,
            "p90_ms": r["p90_us"] / 1000, "p99_ms": r["p99_us"] / 1000, "max_ms": r["max_us"] / 1000,
            "errors": r["status_errors"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"],
            "requests": r["requests"], "seconds": secs}


def fmt(x, d=1):
    return "—" if x is None else f"{x:,.{d}f}"


def ratio(a, b):
    return None if not a or not b else a / b


summary = {"machine": machine, "config": config, "targets": []}
md = []
w = md.append
w(f"# modproxy benchmark — {machine['date']} ({machine['mode']} run)\n")
w("modproxy and the reference measured side by side in one run of `bench/run`, on the same data, over loopback.\n")
w("## Machine and versions\n")
w("| | |\n|---|---|")
for k in ("cpu", "cores", "mem_gb", "kernel", "java", "go", "nginx", "wrk", "commit"):
    w(f"| {k} | {machine.get(k)} |")
load_end = next((e["load"] for e in events if e["kind"] == "load_end"), "?")
w(f"| load average (1/5/15 min) at start | {' '.join(machine['load_start'])} |")
w(f"| load average at end | {load_end} |")
w(f"| JVM options (every service) | `{config['java_opts']}` (G1, default JIT) |")
w(f"| load generator | wrk, {config['threads']} threads, {config['duration']} s per measurement after a {config['warmup']} s warm-up |")
w("")
w("Everything shares the same cores: wrk, nginx and the JVMs compete for them, so absolute figures are "
  "low; the ratios are the point. Setup: sumdb-service on (every version recorded in modproxy's own "
  "checksum database), upstream checksum database off (`MODPROXY_SUMDB_UPSTREAM=off`: the corpus is "
  "in no public one), fs storage, the gateway's per-client rate limit off "
  "(`MODPROXY_QOS_PER_CLIENT_RPS=0`: the load generator is one client).\n")

targets = []

# 1. hot metadata
g, n, fl = wrk("meta-gateway"), wrk("meta-nginx"), wrk("meta-floor")
w(f"## 1. Hot metadata\n")
w(f"`.info`, `.mod` and `list` of {config['meta_paths']} paths ({config['corpus_modules']} Debian modules + synthetic "
  f"modules with 3 versions each), all already in modproxy, cycled by {config['meta_connections']} connections.\n")
w("| target | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/request | machine CPU busy |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, r in (("modproxy gateway", g), ("nginx (files from disk)", n),
                ("floor: bare Vert.x, same jars, bytes from a map", fl)):
    if r:
        w(f"| {name} | {fmt(r['rps'], 0)} | {fmt(r['p50_ms'], 2)} | {fmt(r['p90_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {fmt(r['max_ms'], 1)} | {r['errors']} | {fmt(r['cpu_us_per_req'], 1)} | {fmt(r['machine_busy_pct'], 0)}% |")
rm = ratio(g and g["rps"], n and n["rps"])
w(f"\nRatio modproxy/nginx requests/s: **{fmt(rm, 2)}×**\n")
if fl:
    w(f"The floor (no router, no checks, no metrics, no audit) reaches {fmt(ratio(fl['rps'], n and n['rps']), 2)}× nginx "
      f"at {fmt(fl['cpu_us_per_req'], 1)} µs CPU per request: what the JVM, Netty and Vert.x cost here. "
      f"The gateway reaches {fmt(ratio(g and g['rps'], fl['rps']), 2)}× the floor.\n")
targets.append(("hot metadata ≥ 1.0× nginx requests/s", rm, rm is not None and rm >= 1.0))
targets.append(("hot metadata p99 ≤ 5 ms", g and g["p99_ms"], bool(g) and g["p99_ms"] <= 5))
summary["meta"] = {"gateway": g, "nginx": n, "floor": fl, "ratio": rm}

# 2. zips
g, n = wrk("zip-gateway"), wrk("zip-nginx")
w("## 2. Zips\n")
w(f"Zips of 1, 2, 5, 10, 20 and 50 MB (random bytes), cycled by {config['zip_connections']} connections.\n")
w("| target | MB/s | downloads/s | p50 ms | p99 ms | errors | server CPU s | machine CPU busy |\n|---|---:|---:|---:|---:|---:|---:|---:|")
for name, r in (("modproxy gateway", g), ("nginx (sendfile)", n)):
    if r:
        w(f"| {name} | {fmt(r['mb_s'], 0)} | {fmt(r['rps'], 1)} | {fmt(r['p50_ms'], 0)} | {fmt(r['p99_ms'], 0)} | {r['errors']} | {fmt(r['server_cpu_s'], 1)} | {fmt(r['machine_busy_pct'], 0)}% |")
rz = ratio(g and g["mb_s"], n and n["mb_s"])
w(f"\nRatio modproxy/nginx MB/s: **{fmt(rz, 2)}×**\n")
targets.append(("zips ≥ 0.8× nginx MB/s", rz, rz is not None and rz >= 0.8))
summary["zip"] = {"gateway": g, "nginx": n, "ratio": rz}

# 3. cold fill
cold = [e for e in events if e["kind"] == "cold"]
direct = [e["seconds"] for e in cold if e["target"] == "go-direct"]
mp = [e["seconds"] for e in cold if e["target"] == "modproxy"]
w("## 3. Cold fill\n")
w(f"`go mod download` of {config['corpus_modules']} modules (Debian's Go sources at their packaged versions), "
  "GOFLAGS=-modcacherw, GOSUMDB=off on the client, a fresh module cache every run. `go direct`: GOPROXY = nginx "
  "serving the upstream tree. modproxy: GOPROXY = a gateway over an empty storage (services restarted with "
  "fresh data every run, then warmed up by a `go mod download` of other modules: a twin of every corpus module under another path (same files), 8 small ones and every synthetic module's v1.0.0), whose fetcher fills from that same nginx; "
  "sumdb-service records every version.\n")
w("| target | runs (s) | median s |\n|---|---|---:|")
md_direct = statistics.median(direct) if direct else None
md_mp = statistics.median(mp) if mp else None
w(f"| go direct | {', '.join(fmt(x, 2) for x in direct)} | {fmt(md_direct, 2)} |")
w(f"| through modproxy | {', '.join(fmt(x, 2) for x in mp)} | {fmt(md_mp, 2)} |")
off = [e["seconds"] for e in cold if e["target"] == "modproxy-early-info-off"]
md_off = statistics.median(off) if off else None
if off:
    w(f"| through modproxy, `modproxy.fetch.early-info=false` (before) | {', '.join(fmt(x, 2) for x in off)} | {fmt(md_off, 2)} |")
rc = ratio(md_mp, md_direct)
w(f"\nRatio modproxy/go direct time: **{fmt(rc, 2)}×**" + (f" (early-info off: {fmt(ratio(md_off, md_direct), 2)}×)" if off else "") + "\n")
targets.append(("cold fill ≤ 1.3× go direct", rc, rc is not None and rc <= 1.3))
summary["cold"] = {"go_direct": direct, "modproxy": mp, "modproxy_early_info_off": off, "ratio": rc}

# big zip
bf = next((e for e in events if e["kind"] == "bigfill"), None)
bs = {e["target"]: e for e in events if e["kind"] == "bigserve"}
w(f"## 4a. The {config['big_mb']} MB zip\n")
w("| step | seconds | MB/s |\n|---|---:|---:|")
if bf:
    w(f"| fill through modproxy (gateway miss → fetcher → upstream, checked, hashed, recorded, stored, then served) | {fmt(bf['seconds'], 1)} | {fmt(bf['mb'] / bf['seconds'], 0)} |")
for t, name in (("gateway", "serve from modproxy, 4 downloads at once"), ("nginx", "serve from nginx, 4 downloads at once")):
    if t in bs:
        w(f"| {name} | {fmt(bs[t]['seconds'], 1)} | {fmt(bs[t]['mb'] / bs[t]['seconds'], 0)} |")
w("")
summary["big"] = {"fill": bf, "serve": bs}

# 4. memory
w("## 4. Memory\n")
w("RSS sampled twice a second; heap from the GC log (peak = occupancy before a collection, live = after it) "
  "and `jcmd GC.heap_info` at the end of the phase. nginx RSS is master + workers.\n")
w("| phase | service | RSS max MB | heap peak MB | heap live max MB | heap used at end MB | GCs |\n|---|---|---:|---:|---:|---:|---:|")
mem = {}
order = ["prefill", "meta", "zip", "bigfill", "bigserve-gateway", "bigserve-nginx", "scale"] + \
        sorted(p for p in phases if p.startswith("cold-"))
for ph in order:
    m = memory(ph)
    mem[ph] = m
    for s in sorted(m):
        d = m[s]
        w(f"| {ph} | {s} | {fmt(d.get('rss_max_mb'), 0)} | {fmt(d.get('heap_peak_mb'), 0)} | {fmt(d.get('heap_live_max_mb'), 0)} | {fmt(d.get('heap_used_at_end_mb'), 0)} | {d.get('gcs', 0)} |")
summary["memory"] = mem


def peak(phase_prefix, service, key):
    """Max over phases of a heap figure; a phase without a collection falls back to the heap used at its end."""
    vals = []
    for ph, m in mem.items():
        d = m.get(service) if ph.startswith(phase_prefix) else None
        if d:
            v = d.get(key) if d.get("gcs") else None
            vals.append(v if v is not None else d.get("heap_used_at_end_mb"))
    vals = [v for v in vals if v is not None]
    return max(vals) if vals else None


gw_peak = max([v for v in (peak(p, "gateway", "heap_peak_mb") for p in ("meta", "zip", "big", "scale", "cold")) if v] or [0]) or None
targets.append(("gateway heap ≤ 256 MB under load (peak occupancy)", gw_peak, gw_peak is not None and gw_peak <= 256))
small = peak("zip", "gateway", "heap_live_max_mb") or 0
bigl = max(peak("bigfill", "gateway", "heap_live_max_mb") or 0, peak("bigserve-gateway", "gateway", "heap_live_max_mb") or 0)
flat = bigl <= max(small, 1) * 1.5 + 16
w(f"\nGateway heap (live after a collection, or used at the phase's end when none ran): {fmt(small, 0)} MB serving 1–50 MB zips, {fmt(bigl, 0)} MB filling and serving the "
  f"{config['big_mb']} MB zip → {'flat' if flat else 'NOT flat'} with zip size.\n")
fl = [peak("bigfill", s, "heap_live_max_mb") for s in ("fetcher",)]
w(f"Fetcher heap while filling the {config['big_mb']} MB zip: {fmt(fl[0], 0)} MB (max heap {config['java_opts']}).\n")
targets.append((f"gateway heap flat with zip size (live heap, 1–50 MB vs {config['big_mb']} MB)", bigl, flat))

# 5. scaling
one, two = wrk("lb-one"), wrk("lb-two")
w("## 5. Scaling: one vs two gateway replicas behind nginx\n")
w(f"nginx (2 workers) balancing over keep-alive connections; same metadata load, {config['meta_connections']} connections.\n")
w("| behind the balancer | requests/s | p50 ms | p99 ms | errors | gateways+nginx CPU µs/request | machine CPU busy |\n|---|---:|---:|---:|---:|---:|---:|")
for name, r in (("one gateway", one), ("two gateways", two)):
    if r:
        w(f"| {name} | {fmt(r['rps'], 0)} | {fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {r['errors']} | {fmt(r['cpu_us_per_req'], 1)} | {fmt(r['machine_busy_pct'], 0)}% |")
rs = ratio(two and two["rps"], one and one["rps"])
w(f"\nTwo/one: **{fmt(rs, 2)}×** (on {machine['cores']} cores shared by wrk, nginx and both gateways).\n")
summary["scale"] = {"one": one, "two": two, "ratio": rs}

# 6. startup
w("## 6. Startup (process start → `/q/health/ready` 200)\n")
st = {}
for e in events:
    if e["kind"] == "startup":
        st.setdefault(e["service"], []).append(e["seconds"])
w("| service | samples | median s | min s | max s |\n|---|---:|---:|---:|---:|")
for s, v in sorted(st.items()):
    w(f"| {s} | {len(v)} | {fmt(statistics.median(v), 2)} | {fmt(min(v), 2)} | {fmt(max(v), 2)} |")
w("")
summary["startup"] = st

# targets
w("## Targets\n")
w("| target | measured | met |\n|---|---:|---|")
for name, value, ok in targets:
    w(f"| {name} | {fmt(value, 2) if isinstance(value, float) else value} | {'yes' if ok else '**no**'} |")
w("")
summary["targets"] = [{"target": t, "value": v, "met": ok} for t, v, ok in targets]
summary["events"] = events

open(out_md, "w").write("\n".join(md) + "\n")
json.dump(summary, open(out_json, "w"), indent=1, default=str)
