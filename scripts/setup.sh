#!/usr/bin/env bash
# Installs everything CoZ Studio needs on Debian 12 (packages, the default ESRGAN models, sample
# photos) and builds it into build/. Idempotent: a second run only rebuilds what changed. COZ_BUILD_BENCH=OFF leaves tools/bench out.
#   scripts/setup.sh [--no-build] [--dev] [--torch DIR]
# --dev also installs what scripts/sanitize.sh and scripts/fuzz.sh need (clang, libFuzzer and the
# sanitizer runtimes, llvm-symbolizer), the tools the tests use (python3 for the hostile-input
# generator), and what scripts/package.sh and scripts/check_package.sh need (dpkg-shlibdeps and
# file for CPack, lintian, desktop-file-validate, appstreamcli).
# --torch DIR builds against another LibTorch than Debian's CPU-only libtorch-dev, e.g. a CUDA one:
# the official LibTorch archive unpacked at DIR (it holds share/cmake/Torch), or the one inside a
# Python torch (DIR = $(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')). Everything
# else still comes from Debian. Also read from $COZ_TORCH_DIR.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
build=1 dev=0 torch="${COZ_TORCH_DIR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --dev) dev=1 ;;
    --torch)
      [ $# -ge 2 ] || { echo "setup.sh: --torch needs a folder (a LibTorch archive or torch.utils.cmake_prefix_path)" >&2; exit 2; }
      torch="$2"; shift ;;
    --torch=*) torch="${1#--torch=}" ;;
    *) echo "setup.sh: unknown option $1 (use --no-build, --dev, --torch DIR)" >&2; exit 2 ;;
  esac
  shift
done
torch_dir=""
if [ -n "$torch" ]; then
  # The folder holding TorchConfig.cmake: DIR itself, DIR/Torch, or DIR/share/cmake/Torch.
  for c in "$torch" "$torch/Torch" "$torch/share/cmake/Torch"; do
    [ -f "$c/TorchConfig.cmake" ] && { torch_dir=$(cd "$c" && pwd); break; }
  done
  [ -n "$torch_dir" ] || { echo "setup.sh: no TorchConfig.cmake in $torch, $torch/Torch or $torch/share/cmake/Torch" >&2; exit 2; }
fi
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# 1. Debian packages.
pkgs=(cmake ninja-build g++ ccache pkg-config
      qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6 libgl1-mesa-dev
      libopenblas0-pthread libopencv-dev nlohmann-json3-dev libsentencepiece-dev
      libcurl4-openssl-dev libssl-dev zlib1g-dev ca-certificates libcpp-httplib-dev
      xvfb xauth python3 python3-jsonschema)
[ -z "$torch_dir" ] && pkgs+=(libtorch-dev)  # Debian's CPU-only LibTorch unless --torch gives another
[ "$dev" = 1 ] && pkgs+=(clang libclang-rt-14-dev llvm dpkg-dev file lintian desktop-file-utils appstream)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Sample photographs (scikit-image's data set, from Debian's python3-skimage package).
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

# 3. Build.
if [ "$build" = 1 ]; then
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  if [ -n "$torch_dir" ]; then
    log "configuring build/ against the LibTorch in $torch_dir"
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$torch_dir" \
      -DCOZ_BUILD_BENCH="${COZ_BUILD_BENCH:-ON}" >/dev/null
  elif [ ! -f "$root/build/build.ninja" ]; then
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOZ_BUILD_BENCH="${COZ_BUILD_BENCH:-ON}" >/dev/null
  fi
  log "building (build/)"
  cmake --build "$root/build"
fi

# 4. Default models: the UpscalerJS ESRGAN family and idealo's GAN-trained RRDN (MIT), pulled by
# coz itself from the npm registry (no Node.js needed) and checked against the catalog's SHA-256.
# Idempotent: what is there is not downloaded again. COZ_NPM_REGISTRY points it at a mirror.
coz_bin="$root/build/app/coz"
if [ -x "$coz_bin" ]; then
  log "default models (coz models pull)"
  "$coz_bin" models pull esrgan-thick esrgan-medium esrgan-slim esrgan-gans
else
  log "no build/app/coz yet: run scripts/setup.sh again after building to fetch the default models"
fi
