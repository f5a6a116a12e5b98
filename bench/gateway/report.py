#!/usr/bin/env python3
"""Turns bench/gateway/run.sh's results.tsv into the Markdown tables of docs/benchmarks.md."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
names = {
    "direct": "(a) direct gRPC to membership",
    "grpc_gateway": "(b) gRPC through the gateway",
    "rest_gateway": "(c) REST through the gateway (wrk)",
    "nginx": "(d) gRPC through nginx grpc_pass",
    "grpc_gateway_noauth": "(b') gRPC through the gateway, auth+limits off",
    "rest_gateway_noauth": "(c') REST through the gateway, auth+limits off",
}
by = {(r["mode"], r["path"], r["concurrency"]): r for r in rows}
for mode in dict.fromkeys(r["mode"] for r in rows):
    print(f"\n### {mode}\n")
    print("| path | concurrency | QPS | p50 µs | p99 µs | server CPU µs/req | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r["mode"] != mode:
            continue
        print(f"| {names[r['path']]} | {r['concurrency']} | {float(r['qps']):.0f} | {r['p50_us']} "
              f"| {r['p99_us']} | {r['server_cpu_us_per_req']} | {r['errors']} |")
    print("\n| ratio | concurrency | value | goal |")
    print("|---|---:|---:|---|")
    for c in dict.fromkeys(r["concurrency"] for r in rows if r["mode"] == mode):
        def qps(path):
            r = by.get((mode, path, c))
            return float(r["qps"]) if r else 0.0

        def p99(path):
            r = by.get((mode, path, c))
            return float(r["p99_us"]) if r else 0.0

        if qps("nginx"):
            print(f"| gRPC gateway / nginx QPS | {c} | {qps('grpc_gateway') / qps('nginx'):.2f} | >= 2.0 |")
            print(f"| gRPC gateway p99 / nginx p99 | {c} | {p99('grpc_gateway') / max(p99('nginx'), 1):.2f} | <= 1.0 |")
        if qps("direct"):
            print(f"| REST gateway / direct gRPC QPS | {c} | {qps('rest_gateway') / qps('direct'):.2f} | >= 0.35 |")
        if qps("grpc_gateway_noauth"):
            print(f"| gRPC auth on / off QPS | {c} | {qps('grpc_gateway') / qps('grpc_gateway_noauth'):.2f} | >= 0.85 |")
        if qps("rest_gateway_noauth"):
            print(f"| REST auth on / off QPS | {c} | {qps('rest_gateway') / qps('rest_gateway_noauth'):.2f} | >= 0.85 |")
