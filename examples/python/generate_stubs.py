#!/usr/bin/python3
"""Generates the Python gRPC stubs for every metrocap proto under protos/ (and the Google
protos they import, e.g. google/api/annotations.proto, plus google/rpc/status.proto and
error_details.proto for reading error details) with Debian's protoc and grpc_python_plugin
(packages protobuf-compiler and protobuf-compiler-grpc).

    /usr/bin/python3 examples/python/generate_stubs.py [OUT_DIR]     # default: examples/python/gen

METROCAP_PROTO_PATH (directories separated by ':') says where the imported protos are; its
default is where the build finds them (METROCAP_PROTO_PATHS in cmake/MetrocapProto.cmake:
keep the two in step; tests/examples runs this script with its default). Google's AIP
annotation protos (google/api/field_behavior.proto, resource.proto) come from the npm
package google-proto-files, which configuring the build (`bash scripts/build.sh`) installs
into build/protos/node: configure once before running this, or name another copy in
METROCAP_PROTO_PATH.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from google.protobuf import descriptor_pb2

HERE = Path(__file__).resolve().parent
PROTOS = HERE.parent.parent / "protos"
DEFAULT_PROTO_PATH = ":".join(
    [str(PROTOS), "/usr/share/gocode/src/github.com/gogo/googleapis",
     str(HERE.parent.parent / "build/protos/node/node_modules/google-proto-files"), "/usr/include"])
# Not imported by the service protos, but what a client needs to read an error's details.
ERROR_PROTOS = ["google/rpc/status.proto", "google/rpc/error_details.proto"]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else HERE / "gen").resolve()
    proto_path = os.environ.get("METROCAP_PROTO_PATH", DEFAULT_PROTO_PATH).split(":")
    includes = [f"-I{p}" for p in proto_path if p]
    services = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.glob("metrocap/**/*.proto"))
    # protoc lists every file the service protos import; Python's own google/protobuf/*
    # modules come with python3-protobuf, so those are not generated.
    with tempfile.TemporaryDirectory() as tmp:
        descriptor_set = Path(tmp) / "all.pb"
        subprocess.run(["protoc", *includes, "--include_imports",
                        f"--descriptor_set_out={descriptor_set}", *services, *ERROR_PROTOS],
                       check=True)
        files = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes()).file
    needed = [f.name for f in files if not f.name.startswith("google/protobuf/")]
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["protoc", *includes, f"--python_out={out}", f"--grpc_python_out={out}",
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", *needed],
                   check=True)
    print(f"generated stubs for {len(needed)} protos into {out}")


if __name__ == "__main__":
    main()
