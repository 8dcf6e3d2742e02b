#!/usr/bin/env bash
# The headless CLI as a user meets it: help, version, a demo run, and bad input (exit 2 with a
# one-line error followed by the usage).
set -u
bin="$1"
fail=0
check() {  # check NAME EXPECTED_EXIT PATTERN -- ARGS...
  local name="$1" want="$2" pattern="$3"
  shift 4
  local out code
  out=$("$bin" "$@" 2>&1)
  code=$?
  if [ "$code" != "$want" ]; then
    echo "FAIL $name: exit $code, expected $want"; echo "$out" | head -5; fail=1; return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -5; fail=1; return
  fi
  echo "ok   $name"
}
check help          0 '^usage: kafkasim'               -- --help
check version       0 '^kafkasim [0-9]+\.[0-9]+\.[0-9]+' -- --version
check no-command    2 '^kafkasim: missing command'     --
check unknown-flag  2 '^kafkasim: unknown option --bogus' -- --bogus
check unknown-cmd   2 'unknown command "frobnicate"'   -- frobnicate
check run-demo      0 'node 3 crashed \(kill -9\)'      -- run
check run-summary   0 'trace_hash=[0-9a-f]{16}'        -- run --quiet
check run-bad-flag  2 '^kafkasim run: unknown option --fast' -- run --fast
check run-no-value  2 '^kafkasim run: --seed needs a value' -- run --seed
check run-bad-seed  2 'expects a non-negative integer' -- run --seed abc
check run-bare-until 2 'has no unit'                   -- run --until 30
check run-bad-world 2 'unknown world "orders.toml"'    -- run orders.toml
check run-ring      0 'messages_sent=1000000'          -- run ring --quiet
check run-records   0 'checks: acked_records_lost=0 duplicates=0' -- run orders --quiet
check partition     0 '^kafka +-798503068 +1348980580 +1$' -- partition --partitions 3 kafka
check partition-3   0 '^7 +-1961297549 +186186099 +0$'  -- partition --partitions 3 0 7
check partition-no-n 2 '^kafkasim partition: --partitions is required' -- partition key
check partition-bad-n 2 'must be between 1'            -- partition --partitions 0 key
check partition-no-key 2 'give at least one KEY'       -- partition --partitions 3
# First line of an error is the error itself, then the usage follows.
first=$("$bin" run --bogus 2>&1 | head -1)
[ "$first" = "kafkasim run: unknown option --bogus" ] && echo "ok   one-line-error" || { echo "FAIL one-line-error: $first"; fail=1; }
# Determinism across processes: same seed, same hash; another seed, another hash.
h1=$("$bin" run --quiet --seed 3 | grep -o 'trace_hash=.*')
h2=$("$bin" run --quiet --seed 3 | grep -o 'trace_hash=.*')
h3=$("$bin" run --quiet --seed 4 | grep -o 'trace_hash=.*')
if [ "$h1" = "$h2" ] && [ "$h1" != "$h3" ]; then echo "ok   determinism"; else echo "FAIL determinism: $h1 $h2 $h3"; fail=1; fi
exit $fail
