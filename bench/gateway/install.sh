#!/usr/bin/env bash
# Installs what the gateway benchmark needs beyond the build, from Debian only: wrk (REST
# load), nginx (the grpc_pass peer), and Go with grpc-gateway v1 and the Go gRPC and
# protobuf packages (the REST peer, built in GOPATH mode by run.sh). Run by run.sh; safe to
# run twice.
set -euo pipefail
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v protoc-gen-go >/dev/null 2>&1 || missing+=(golang-goprotobuf-dev)
command -v protoc-gen-grpc-gateway >/dev/null 2>&1 || missing+=(golang-grpc-gateway)
for package in golang-github-grpc-ecosystem-grpc-gateway-dev golang-google-grpc-dev \
    golang-google-genproto-dev golang-github-gogo-googleapis-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
