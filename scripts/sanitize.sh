#!/usr/bin/env bash
# Builds the engine, the `coz` CLI, the unit tests (hostile-input suite included) and the fuzz
# targets with clang under AddressSanitizer + UndefinedBehaviorSanitizer into build-san/, then runs
# the unit tests there. Needs scripts/setup.sh to have run (it installs clang with --dev).
#   scripts/sanitize.sh [--build-only] [ctest args...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bdir="${COZ_SAN_BUILD:-$root/build-san}"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
build_only=0
[ "${1:-}" = "--build-only" ] && { build_only=1; shift; }

if [ ! -f "$bdir/build.ninja" ]; then
  # -O0 keeps the instrumented build quick to compile (a quarter less than -O1) and its stack traces
  # exact (the heavy arithmetic is in LibTorch, which is not instrumented anyway); line tables are
  # all the symbolizer needs for file:line in reports, at a fraction of full debug info's cost.
  cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only -DNDEBUG" \
    -DCOZ_SANITIZE=address,undefined -DCOZ_FUZZ=ON -DCOZ_CUDA_KERNELS=OFF >/dev/null
fi
# Only what the sanitized run needs: no GUI, no model-golden tests (their arithmetic is LibTorch's).
tests=$(ctest --test-dir "$bdir" -N -L unit | sed -n 's/^ *Test *#[0-9]*: //p')
# shellcheck disable=SC2086
cmake --build "$bdir" --target coz coz_fuzzers $tests
[ "$build_only" = 1 ] && exit 0

# LibTorch and Qt are not instrumented and keep allocations alive until exit: leak checking stays
# off (docs/RELIABILITY.md). Everything else aborts the test at the first report.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export COZ_REQUIRE_MODELS="${COZ_REQUIRE_MODELS:-1}"
ctest --test-dir "$bdir" --output-on-failure -L unit -j "${COZ_TEST_JOBS:-2}" "$@"
