#!/usr/bin/env python3
"""Sums the GPU kernels of a Chrome trace (coz_qwen_bench --profile, torch.profiler's export) by
name: count, total and mean microseconds, share of all kernel time; then the busy time against the
span from the first kernel to the last (what is left is the GPU waiting for the host).

    python3 tools/bench/trace_summary.py trace.json [--top 25] [--per N]
--per N divides the totals by N (e.g. the number of decode steps) to print per-step figures.
"""
import argparse
import collections
import json

ap = argparse.ArgumentParser()
ap.add_argument("trace")
ap.add_argument("--top", type=int, default=25)
ap.add_argument("--per", type=float, default=1.0)
a = ap.parse_args()
events = json.load(open(a.trace))
events = events.get("traceEvents", events) if isinstance(events, dict) else events
kernels = [e for e in events if isinstance(e, dict) and str(e.get("cat", "")).lower() in ("kernel", "gpu_memcpy", "gpu_memset")
           and "dur" in e]
if not kernels:
    raise SystemExit("no GPU kernels in the trace (was CUDA activity profiled?)")
by = collections.defaultdict(lambda: [0, 0.0])
for e in kernels:
    name = e.get("name", "?")
    name = name if len(name) <= 90 else name[:87] + "..."
    by[name][0] += 1
    by[name][1] += float(e["dur"])
total = sum(v[1] for v in by.values())
span = max(float(e["ts"]) + float(e["dur"]) for e in kernels) - min(float(e["ts"]) for e in kernels)
print(f"{len(kernels)} kernels/copies, busy {total / a.per:.1f} us, span {span / a.per:.1f} us "
      f"({100 * total / span:.0f}% busy){' per ' + str(a.per) if a.per != 1 else ''}")
for name, (n, t) in sorted(by.items(), key=lambda kv: -kv[1][1])[: a.top]:
    print(f"{100 * t / total:5.1f}%  {t / a.per:9.1f} us  {n / a.per:7.1f}x  {t / n:7.2f} us each  {name}")
