#!/usr/bin/env bash
# Builds the Debian package coz-studio_<version>_<arch>.deb with CPack (settings in
# packaging/CMakeLists.txt) from BUILD_DIR (default build/) into BUILD_DIR/package/, and prints its
# path as the only line on stdout; everything else goes to stderr, so CI can take the path with
#   deb=$(scripts/package.sh) && scripts/check_package.sh "$deb"
# The package installs into /usr, so BUILD_DIR is configured (or reconfigured) with
# CMAKE_INSTALL_PREFIX=/usr: GNUInstallDirs picks the multiarch library folder from it and coz.pc
# records it. Needs what scripts/setup.sh installs; dpkg-shlibdeps comes with --dev.
#   scripts/package.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bdir=$(realpath -m "${1:-$root/build}")
log() { printf '\033[1m[package]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[package] error:\033[0m %s\n' "$*" >&2; exit 1; }

[ $# -le 1 ] || die "usage: scripts/package.sh [BUILD_DIR]"
for tool in cmake cpack dpkg-shlibdeps dpkg file readelf gzip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run scripts/setup.sh --dev"
done
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$bdir/CMakeCache.txt" 2>/dev/null; }
if [ ! -f "$bdir/CMakeCache.txt" ]; then
  log "configuring $bdir (Ninja, Release, prefix /usr)"
  cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >&2
else
  if [ -n "$(cache_value COZ_SANITIZE)" ] || [ "$(cache_value COZ_FUZZ)" = "ON" ]; then
    die "$bdir is a sanitizer or fuzzing build; package a Release build such as build/"
  fi
  if [ "$(cache_value CMAKE_INSTALL_PREFIX)" != "/usr" ]; then
    log "reconfiguring $bdir with CMAKE_INSTALL_PREFIX=/usr (was $(cache_value CMAKE_INSTALL_PREFIX))"
    cmake -S "$root" -B "$bdir" -DCMAKE_INSTALL_PREFIX=/usr >&2
  fi
fi
case "$(cache_value CMAKE_BUILD_TYPE)" in
  Release|RelWithDebInfo|MinSizeRel) ;;
  *) log "warning: $bdir is a '$(cache_value CMAKE_BUILD_TYPE)' build; the package will carry unoptimised programs" ;;
esac
[ -f "$bdir/CPackConfig.cmake" ] ||
  die "$bdir/CPackConfig.cmake is missing: the package needs Qt 6 and OpenCV (packaging/ is configured only with both); run scripts/setup.sh"

log "building ($bdir)"
cmake --build "$bdir" >&2

out="$bdir/package"
rm -rf "$out/_CPack_Packages"
rm -f "$out"/coz-studio_*.deb
log "running cpack -G DEB into $out"
(cd "$bdir" && cpack -G DEB --config "$bdir/CPackConfig.cmake" -B "$out" >&2) ||
  die "cpack failed; its logs are under $out/_CPack_Packages (rerun with: cd $bdir && cpack -G DEB -B $out --debug --verbose)"

shopt -s nullglob
debs=("$out"/coz-studio_*.deb)
[ ${#debs[@]} -eq 1 ] || die "expected one coz-studio_*.deb in $out, found ${#debs[@]}"
log "built ${debs[0]}"
printf '%s\n' "${debs[0]}"
