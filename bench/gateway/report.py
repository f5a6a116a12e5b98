#!/usr/bin/env python3
"""The report of bench/gateway/run.sh: medians and spread over the rounds, and the ratios
issue #17 judges the hot path by, each with its goal.

  report.py results.tsv machine.txt      prints the Markdown report
  report.py --into docs/benchmarks.md report.md
                                         puts a report between the doc's gateway markers
"""
import csv
import statistics
import sys

BEGIN, END = "<!-- gateway-bench:begin -->", "<!-- gateway-bench:end -->"

NAMES = {
    "fixed": "fixed-reply callback server (floor)",
    "direct": "direct gRPC to membership",
    "direct_quiet": "direct gRPC to membership, access log 1 in 10⁶",
    "grpc": "gRPC through the gateway",
    "grpc_noauth": "gRPC through the gateway, auth+limits off",
    "nginx": "gRPC through nginx grpc_pass",
    "rest": "REST through the gateway",
    "rest_noauth": "REST through the gateway, auth+limits off",
    "grpcgw": "REST through grpc-gateway (Go)",
}
# Paths that cross membership plus one proxy: their added CPU is over `direct`.
PROXIED = ("grpc", "grpc_noauth", "nginx", "rest", "rest_noauth", "grpcgw")

# (label, numerator, denominator, goal, at most?)
def ratios(get):
    return [
        ("REST: added CPU, gateway / grpc-gateway", get("rest", "added"), get("grpcgw", "added"), 0.5, True),
        ("REST: QPS ratio to direct, gateway / grpc-gateway", get("rest", "qps"), get("grpcgw", "qps"), 1.5, False),
        ("gRPC: added CPU, gateway / nginx", get("grpc", "added"), get("nginx", "added"), 0.5, True),
        ("gRPC: p99, gateway / nginx", get("grpc", "p99"), get("nginx", "p99"), 1.0, True),
        ("membership / fixed-reply: CPU per request", get("direct", "cpu"), get("fixed", "cpu"), 1.5, True),
        ("membership / fixed-reply: p99", get("direct", "p99"), get("fixed", "p99"), 1.5, True),
        ("access log: membership CPU, log on / 1 in 10⁶", get("direct", "cpu"), get("direct_quiet", "cpu"), 1.05, True),
        ("gRPC: QPS, auth+limits on / off", get("grpc", "qps"), get("grpc_noauth", "qps"), 0.9, False),
        ("REST: QPS, auth+limits on / off", get("rest", "qps"), get("rest_noauth", "qps"), 0.9, False),
    ]


def spread(values, digits=0):
    if not values:
        return "–"
    fmt = f"{{:.{digits}f}}"
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def report(results, machine):
    rows = list(csv.DictReader(open(results), delimiter="\t"))
    out = ["```", open(machine).read().rstrip(), "```", ""]
    for c in dict.fromkeys(r["concurrency"] for r in rows):
        at = [r for r in rows if r["concurrency"] == c]
        rounds = sorted({r["round"] for r in at}, key=int)
        value = {}
        for r in at:
            value[(r["round"], r["path"])] = {
                "qps": float(r["qps"]), "p50": float(r["p50_us"]), "p99": float(r["p99_us"]),
                "cpu": float(r["cpu_us_per_req"]), "errors": int(r["errors"]),
            }
        for (rnd, path), v in value.items():
            direct = value.get((rnd, "direct"))
            if path in PROXIED and direct:
                v["added"] = v["cpu"] - direct["cpu"]

        def series(path, key):
            return [value[(rnd, path)][key] for rnd in rounds
                    if (rnd, path) in value and key in value[(rnd, path)]]

        out += [f"#### {c} in flight: median (min–max) of {len(rounds)} rounds", "",
                "| path | QPS | p50 µs | p99 µs | server CPU µs/req | added CPU µs/req | errors |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for path in dict.fromkeys(r["path"] for r in at):
            out.append(
                f"| {NAMES.get(path, path)} | {spread(series(path, 'qps'))} "
                f"| {spread(series(path, 'p50'))} | {spread(series(path, 'p99'))} "
                f"| {spread(series(path, 'cpu'), 1)} | {spread(series(path, 'added'), 1)} "
                f"| {sum(series(path, 'errors'))} |")
        out += ["", "| ratio (same round, then median of rounds) | value | goal | met |",
                "|---|---:|---|---|"]
        per_round = {}
        for rnd in rounds:
            def get(path, key, rnd=rnd):
                return value.get((rnd, path), {}).get(key)
            for label, num, den, goal, at_most in ratios(get):
                if num is not None and den:
                    per_round.setdefault(label, (goal, at_most, []))[2].append(num / den)
        for label, (goal, at_most, values) in per_round.items():
            med = statistics.median(values)
            met = "yes" if (med <= goal if at_most else med >= goal) else "no"
            out.append(f"| {label} | {spread(values, 2)} | {'≤' if at_most else '≥'} {goal} | {met} |")
        out.append("")
    return "\n".join(out)


def into(doc, report_file):
    text = open(doc).read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    text = text[:start] + "\n" + open(report_file).read().rstrip() + "\n" + text[end:]
    open(doc, "w").write(text)


if __name__ == "__main__":
    if sys.argv[1] == "--into":
        into(sys.argv[2], sys.argv[3])
    else:
        print(report(sys.argv[1], sys.argv[2]))
