#!/usr/bin/env bash
# Runs one libFuzzer harness (README.md):
#
#   run_fuzzer.sh FUZZER WORKDIR [CORPUS_DIR...] [LIBFUZZER FLAGS...]
#
# New inputs go to WORKDIR/corpus (the corpus directories given are only read); crash, leak,
# timeout and out-of-memory inputs to WORKDIR/artifacts/. Memory is bounded (-rss_limit_mb,
# -malloc_limit_mb) and so is each input's run (-timeout); flags given here come last and win.
set -eu
fuzzer="$1" work="$2"
shift 2
mkdir -p "$work/corpus" "$work/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$fuzzer" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=25 -max_len=65536 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 -print_funcs=0 "$work/corpus" "$@"
