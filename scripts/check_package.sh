#!/usr/bin/env bash
# Checks a Debian package made by scripts/package.sh: its file list, control fields and shlibs, the
# desktop file and AppStream metainfo with their validators, lintian (no errors), and then runs the
# packaged `coz` from an extracted tree (the package's own libcoz, not an installed one) on a small
# generated image with the bicubic baseline, checking the output's size. Needs lintian,
# desktop-file-utils and appstream (scripts/setup.sh --dev) and python3.
#   scripts/check_package.sh DEB
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '\033[1m[check_package]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31m[check_package] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: scripts/check_package.sh DEB"
deb=$(realpath -m "$1")
[ -f "$deb" ] || fail "$deb: no such file"
for tool in dpkg dpkg-deb lintian appstreamcli desktop-file-validate python3 ldd; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: run scripts/setup.sh --dev"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
app_id=io.github.cozstudio.CoZStudio

# 1. Control fields and control files.
field() { dpkg-deb -f "$deb" "$1"; }
pkg=$(field Package) version=$(field Version) arch=$(field Architecture) depends=$(field Depends)
log "$pkg $version ($arch)"
[ "$pkg" = coz-studio ] || fail "Package is '$pkg', expected coz-studio"
[ "$(basename "$deb")" = "${pkg}_${version}_${arch}.deb" ] ||
  fail "file name $(basename "$deb") does not follow ${pkg}_${version}_${arch}.deb"
[ "$arch" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$arch', expected $(dpkg --print-architecture)"
[ -n "$depends" ] || fail "Depends is empty: dpkg-shlibdeps found no libraries"
log "Depends: $depends"
grep -q 'libtorch' <<<"$depends" || fail "Depends does not name LibTorch: $depends"
dpkg-deb -I "$deb" shlibs 2>/dev/null | grep -q "^libcoz [0-9]* coz-studio " ||
  fail "the shlibs control file does not declare libcoz"
dpkg-deb -I "$deb" triggers 2>/dev/null | grep -qx 'activate-noawait ldconfig' ||
  fail "the triggers control file does not activate ldconfig"

# 2. Contents.
dpkg-deb -c "$deb" >"$tmp/contents" || fail "dpkg-deb cannot list $deb"
log "contents:"
sed 's/^/    /' "$tmp/contents" >&2
awk '{print $6}' "$tmp/contents" | sed 's|^\./||; /^$/d; s|/$||' >"$tmp/paths"
outside=$(grep -v '^usr\(/\|$\)' "$tmp/paths" || true)
[ -z "$outside" ] || fail "files outside /usr: $outside"
libdir='usr/lib(/[a-z0-9_]+-linux-gnu[a-z0-9_]*)?'
expected=("usr/bin/coz" "usr/bin/coz-studio"
  "$libdir/libcoz\.so\.0" "$libdir/libcoz\.so\.[0-9]+\.[0-9]+\.[0-9]+" "$libdir/libcoz\.so"
  "$libdir/coz/libcoz_spm\.so"
  "usr/include/coz/coz\.h" "usr/include/coz/engine\.h" "usr/include/coz/hub\.h" "usr/share/coz/models\.json"
  "$libdir/cmake/coz/cozConfig\.cmake" "$libdir/cmake/coz/cozConfigVersion\.cmake"
  "$libdir/pkgconfig/coz\.pc"
  "usr/share/applications/$app_id\.desktop" "usr/share/metainfo/$app_id\.metainfo\.xml"
  "usr/share/icons/hicolor/scalable/apps/$app_id\.svg"
  "usr/share/man/man1/coz\.1\.gz" "usr/share/man/man1/coz-studio\.1\.gz"
  "usr/share/doc/coz-studio/copyright" "usr/share/doc/coz-studio/changelog\.gz")
for ts in "$root"/translations/coz_*.ts; do
  expected+=("usr/share/coz-studio/translations/$(basename "${ts%.ts}")\.qm")
done
missing=()
for re in "${expected[@]}"; do
  grep -Eqx "$re" "$tmp/paths" || missing+=("$re")
done
[ ${#missing[@]} -eq 0 ] || fail "missing from the package (as regular expressions): ${missing[*]//\\/}"
log "ok: all ${#expected[@]} expected paths are there"

# 3. The files themselves, from the extracted tree.
dpkg-deb -x "$deb" "$tmp/root" || fail "dpkg-deb cannot extract $deb"
x="$tmp/root"
appstreamcli validate --no-net "$x/usr/share/metainfo/$app_id.metainfo.xml" >&2 ||
  fail "appstreamcli validate found errors in the metainfo"
desktop-file-validate "$x/usr/share/applications/$app_id.desktop" >&2 ||
  fail "desktop-file-validate found errors in the desktop file"
libcoz=$(find "$x/usr/lib" -name 'libcoz.so.0' | head -n 1)
lib="$(dirname "$libcoz")"
grep -qx 'prefix=/usr' "$lib/pkgconfig/coz.pc" ||
  fail "coz.pc does not say prefix=/usr (was the build configured with CMAKE_INSTALL_PREFIX=/usr?): $(grep '^prefix=' "$lib/pkgconfig/coz.pc")"
head=$(gzip -dc "$x/usr/share/doc/coz-studio/changelog.gz" | head -n 1)
[[ "$head" == "coz-studio ($version) "* ]] || fail "the changelog's newest entry is not for $version: $head"
log "ok: metainfo, desktop file, coz.pc and changelog"

# 4. lintian: warnings and notes are printed; any error fails.
log "lintian:"
if ! lintian --fail-on error --display-info "$deb" >"$tmp/lintian" 2>&1; then
  sed 's/^/    /' "$tmp/lintian" >&2
  fail "lintian reports errors (E: lines above)"
fi
sed 's/^/    /' "$tmp/lintian" >&2
log "ok: lintian reports no errors"

# 5. The packaged programs, run from the extracted tree against its own libcoz.
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export COZ_MODELS_DIR="$tmp/models"  # the bicubic baseline needs no model; nothing from the user's cache
for elf in "$x/usr/bin/coz" "$x/usr/bin/coz-studio" "$libcoz" "$lib/coz/libcoz_spm.so"; do
  ldd "$elf" >"$tmp/ldd" 2>&1 || fail "ldd ${elf#"$x"/}: $(cat "$tmp/ldd")"
  if grep -q 'not found' "$tmp/ldd"; then
    fail "${elf#"$x"/} needs libraries that are not installed: $(grep 'not found' "$tmp/ldd" | tr -s ' \t' ' ')"
  fi
done
grep -q "libcoz.so.0 => $lib/libcoz.so.0" <(ldd "$x/usr/bin/coz") ||
  fail "usr/bin/coz does not load the packaged libcoz.so.0: $(ldd "$x/usr/bin/coz" | grep libcoz)"

got=$(timeout 120 "$x/usr/bin/coz" --version) || fail "usr/bin/coz --version failed (exit $?)"
log "coz --version: $got"
[[ "$got" == "coz $version "* ]] || fail "coz --version says '$got', expected coz $version"
got=$(QT_QPA_PLATFORM=offscreen timeout 120 "$x/usr/bin/coz-studio" --version 2>&1) ||
  fail "usr/bin/coz-studio --version failed (exit $?): $got"
[[ "$got" == *"$version"* ]] || fail "coz-studio --version says '$got', expected version $version"

# A 37x23 RGB gradient: odd sizes, so a wrong rounding of the output size shows.
python3 - "$tmp/in.png" <<'EOF'
import struct, sys, zlib
w, h = 37, 23
rows = b"".join(b"\0" + bytes(v for x in range(w) for v in (x * 255 // (w - 1), y * 255 // (h - 1), 128)) for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
EOF
timeout 300 "$x/usr/bin/coz" upscale "$tmp/in.png" -o "$tmp/out.png" --model bicubic --scale 2 --quiet ||
  fail "usr/bin/coz upscale --model bicubic --scale 2 failed (exit $?)"
[ -s "$tmp/out.png" ] || fail "usr/bin/coz upscale exited 0 but wrote no $tmp/out.png"
size=$(python3 - "$tmp/out.png" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read(24)
if d[:8] != b"\x89PNG\r\n\x1a\n" or d[12:16] != b"IHDR":
    sys.exit("not a PNG file")
print("%dx%d" % struct.unpack(">II", d[16:24]))
EOF
) || fail "the output of coz upscale is not a readable PNG"
[ "$size" = "74x46" ] || fail "coz upscale --scale 2 of a 37x23 image wrote $size, expected 74x46"
log "ok: the packaged coz upscaled 37x23 to $size"
log "all checks passed for $deb"
