#!/usr/bin/env bash
# Builds (incrementally) and runs the whole test suite: every Qt Test executable through CTest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
[ -f "$root/build/build.ninja" ] || cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build"
export COZ_REQUIRE_MODELS="${COZ_REQUIRE_MODELS:-1}"
# Two at a time by default (COZ_TEST_JOBS): most suites wait on processes they start, not on the CPU.
ctest --test-dir "$root/build" --output-on-failure -j "${COZ_TEST_JOBS:-2}" "$@"
