#!/usr/bin/env bash
# Installs everything CoZ Studio needs on Debian 12 (packages, the default ESRGAN models, sample
# photos) and builds it into build/. Idempotent: a second run only rebuilds what changed.
#   scripts/setup.sh [--no-build] [--dev]
# --dev also installs what scripts/sanitize.sh and scripts/fuzz.sh need (clang, libFuzzer and the
# sanitizer runtimes, llvm-symbolizer) and the tools the tests use (python3 for the hostile-input
# generator).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
build=1 dev=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --dev) dev=1 ;;
    *) echo "setup.sh: unknown option $arg (use --no-build, --dev)" >&2; exit 2 ;;
  esac
done
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# 1. Debian packages.
pkgs=(cmake ninja-build g++ ccache pkg-config
      qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6 libgl1-mesa-dev
      libtorch-dev libopenblas0-pthread libopencv-dev nlohmann-json3-dev libsentencepiece-dev
      xvfb xauth python3)
[ "$dev" = 1 ] && pkgs+=(clang libclang-rt-14-dev llvm)
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)  # keep a Node.js that is already there
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Default models: the UpscalerJS ESRGAN family (MIT), fetched with npm pack.
models="${COZ_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coz/models}"
mkdir -p "$models"
for size in thick medium slim; do
  dest="$models/esrgan-$size"
  [ -f "$dest/x8/model.json" ] && [ -f "$dest/.complete" ] && continue
  log "fetching @upscalerjs/esrgan-$size@1.0.0 into $dest"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@upscalerjs/esrgan-$size@1.0.0" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dest.partial" && mkdir -p "$dest.partial"
  cp -r "$tmp"/package/models/x* "$dest.partial/"
  cp "$tmp/package/LICENSE" "$dest.partial/LICENSE" 2>/dev/null || true
  touch "$dest.partial/.complete"
  rm -rf "$dest" && mv "$dest.partial" "$dest"
  rm -rf "$tmp"
done

# 3. Sample photographs (scikit-image's data set, from Debian's python3-skimage package).
samples="${XDG_CACHE_HOME:-$HOME/.cache}/coz/samples"
if [ ! -f "$samples/coffee.png" ]; then
  log "unpacking sample photos into $samples"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download python3-skimage >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download python3-skimage >/dev/null; })
  dpkg -x "$tmp"/python3-skimage_*.deb "$tmp/x"
  mkdir -p "$samples"
  for f in coffee chelsea astronaut rocket; do
    cp "$tmp/x/usr/lib/python3/dist-packages/skimage/data/$f.png" "$samples/" 2>/dev/null || true
  done
  rm -rf "$tmp"
fi

# 4. Build.
if [ "$build" = 1 ]; then
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  if [ ! -f "$root/build/build.ninja" ]; then
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  log "building (build/)"
  cmake --build "$root/build"
fi
