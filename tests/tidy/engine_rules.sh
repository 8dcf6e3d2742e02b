#!/usr/bin/env bash
# Engine rules from STYLE.md, checked on every build:
#  - no wall clock, global RNG, threads or environment in engine/ (determinism);
#  - engine/ never includes the GUI stack, and only engine/record/sqlite_* includes sqlite3.h.
set -u
root="$1"
fail=0
banned='system_clock|steady_clock|high_resolution_clock|random_device|[^_a-z]rand\(|[^_a-z:.]time\(|std::thread|getenv|srand\('
if hits=$(grep -rnE "$banned" "$root/engine" --include='*.h' --include='*.cpp' --include='*.in'); then
  echo "engine/ uses something banned for determinism (STYLE.md rule 3):"
  echo "$hits"
  fail=1
fi
if hits=$(grep -rnE '#include *[<"](imgui|GLFW|GL/|backends/)' "$root/engine"); then
  echo "engine/ includes the GUI stack:"
  echo "$hits"
  fail=1
fi
if hits=$(grep -rnE '#include *[<"]sqlite3' "$root/engine" | grep -v '/engine/record/sqlite_'); then
  echo "only engine/record/sqlite_* may include sqlite3.h:"
  echo "$hits"
  fail=1
fi
if hits=$(grep -rnE 'unordered_(map|set)' "$root/engine" | grep -v 'NOLINT(iteration-free)'); then
  echo "unordered containers in engine/ need a 'NOLINT(iteration-free)' note proving no iteration reaches behaviour:"
  echo "$hits"
  fail=1
fi
[ $fail = 0 ] && echo "engine rules: ok"
exit $fail
