#!/usr/bin/env bash
# The headless CLI as a user meets it: help, version, a demo run, and bad input (exit 2 with a
# one-line error followed by the usage).
set -u
bin="$1"
scenarios="${2:-}"
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
check run-bad-world 2 'unknown world "fast"'          -- run fast
check run-no-file   2 'orders.toml:1:1: expected a scenario file, found no file' -- run orders.toml
check run-seed-twice 2 '--seed given twice'          -- run --seed 1 --seed 2
check run-until-huge 2 'not a run length kafkasim simulates' -- run orders --until 2562047h
check run-until-over 2 'out of range'                  -- run orders --until 99999999999999999999h
check run-until-zero 2 'not a run length'              -- run orders --until 0s
check run-record-empty 2 '--record needs the name of a new file' -- run orders --record ""
check run-ring      0 'messages_sent=1000000'          -- run ring --quiet
check run-records   0 'checks: acked_records_lost=0 duplicates=0' -- run orders --quiet
check partition     0 '^kafka +-798503068 +1348980580 +1$' -- partition --partitions 3 kafka
check partition-3   0 '^7 +-1961297549 +186186099 +0$'  -- partition --partitions 3 0 7
check partition-no-n 2 '^kafkasim partition: --partitions is required' -- partition key
check partition-bad-n 2 'must be between 1'            -- partition --partitions 0 key
check partition-no-key 2 'give at least one KEY'       -- partition --partitions 3
# kafkasim assign: the javadoc and AbstractStickyAssignorTest examples, then each bad input.
check assign-range  0 '^C0: t0-0 t0-1 t1-0 t1-1$'   -- assign --strategy range --topic t0:3 --topic t1:3 --member C0:t0,t1 --member C1:t0,t1
check assign-rr     0 '^C1: t0-1 t1-0 t1-2$'        -- assign --strategy roundrobin --topic t0:3 --topic t1:3 --member C0:t0,t1 --member C1:t0,t1
check assign-class  0 '^C1: t0-1 t1-0 t1-2$'        -- assign --strategy org.apache.kafka.clients.consumer.RoundRobinAssignor --topic t0:3 --topic t1:3 --member C0:t0,t1 --member C1:t0,t1
check assign-static 0 '^b@I0: t0-0 t0-1 t1-0 t1-1$'   -- assign --strategy range --topic t0:3 --topic t1:3 --member a@I1:t0,t1 --member b@I0:t0,t1
s4=(--topic topic1:2 --topic topic2:2 --member consumer1:topic1,topic2:owned=topic1-0,topic2-0 --member consumer2:topic1,topic2:owned=topic1-1,topic2-1 --member consumer3:topic1,topic2)
check assign-sticky 0 '^consumer2: topic1-1 topic2-1$' -- assign --strategy sticky "${s4[@]}"
check assign-transfer 0 '^transferring: topic2-0 -> consumer3 \(revoked by consumer1 first\)$' -- assign --strategy sticky "${s4[@]}"
check assign-coop   0 '^  consumer3: \(none\)$'     -- assign --strategy cooperative-sticky "${s4[@]}"
check assign-no-strategy 2 '^kafkasim assign: --strategy is required' -- assign --topic t:1 --member c:t
check assign-bad-strategy 2 'unknown strategy "stiky"; did you mean "sticky"\?' -- assign --strategy stiky --topic t:1 --member c:t
check assign-bad-topic 2 '--topic "t": expected NAME:PARTITIONS' -- assign --strategy range --topic t --member c:t
check assign-zero-parts 2 '--topic "t:0": expected NAME:PARTITIONS' -- assign --strategy range --topic t:0 --member c:t
check assign-bad-member 2 '--member "c": no subscribed topics' -- assign --strategy range --topic t:1 --member c
check assign-bad-part 2 'unknown part "own=t-0"'   -- assign --strategy sticky --topic t:1 --member c:t:own=t-0
check assign-bad-owned 2 'owned partition "t0" is not TOPIC-PARTITION' -- assign --strategy sticky --topic t:1 --member c:t:owned=t0
check assign-owned-unknown 2 'owned partition orderz-0 is of topic "orderz", which no --topic gives; did you mean "orders"' -- assign --strategy sticky --topic orders:2 --member c:orders:owned=orderz-0
check assign-owned-range 2 'owned partition orders-5, but orders has 2 partition' -- assign --strategy sticky --topic orders:2 --member c:orders:owned=orders-5
check assign-unknown-sub 2 'subscribes to "ordrs", which no --topic gives; did you mean "orders"' -- assign --strategy range --topic orders:2 --member c:ordrs
check assign-dup-member 2 'member id "c" is given twice' -- assign --strategy range --topic t:2 --member c:t --member c:t
check assign-no-member 2 'give at least one --member' -- assign --strategy range --topic t:2
# First line of an error is the error itself, then the usage follows.
first=$("$bin" run --bogus 2>&1 | head -1)
[ "$first" = "kafkasim run: unknown option --bogus" ] && echo "ok   one-line-error" || { echo "FAIL one-line-error: $first"; fail=1; }
# Determinism across processes: same seed, same hash; another seed, another hash.
h1=$("$bin" run --quiet --seed 3 | grep -o 'trace_hash=.*')
h2=$("$bin" run --quiet --seed 3 | grep -o 'trace_hash=.*')
h3=$("$bin" run --quiet --seed 4 | grep -o 'trace_hash=.*')
if [ "$h1" = "$h2" ] && [ "$h1" != "$h3" ]; then echo "ok   determinism"; else echo "FAIL determinism: $h1 $h2 $h3"; fail=1; fi
# Scenario files: validate, check (exit 1 on a failed expectation), run, bad input (exit 2).
if [ -n "$scenarios" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  example="$scenarios/03-leader-failover.toml"
  check validate-ok   0 'ok \("Leader failover"'       -- validate "$example"
  check run-file      0 'expect: +9 passed, 0 failed'   -- run "$example" --quiet
  check run-file-narr 0 'Broker 101 led orders-0'       -- run "$example"
  check run-file-trace 0 'leader_change'                -- run "$example" --trace --until 20s
  check check-pass    0 '^9 passed, 0 failed$'          -- check "$example"
  sed 's/^equals = 102$/equals = 103/' "$example" > "$tmp/wrong.toml"
  check check-fail    1 'FAIL  .*wrong.toml:[0-9]+  at 25s: leader of orders-0 equals 103 \(found 102\)' -- check "$tmp/wrong.toml"
  check check-summary 1 '^[0-9]+ passed, [1-9][0-9]* failed$' -- check "$tmp/wrong.toml"
  printf '[scenario]\nname = "x"\nduration = 60\n' > "$tmp/bare.toml"
  check bad-duration  2 'bare.toml:3:12: \[scenario\] duration: expected a duration with a unit' -- validate "$tmp/bare.toml"
  printf '[scenario\nname = "x"\n' > "$tmp/syntax.toml"
  check bad-toml      2 'syntax.toml:1:[0-9]+: '         -- check "$tmp/syntax.toml"
  sed 's/^replication_factor = 2$/replication_factr = 2/' "$example" > "$tmp/typo.toml"
  check bad-key-hint  2 'did you mean "replication_factor"' -- run "$tmp/typo.toml"
  sed 's/^"acks" = "all"$/"acks" = "most"/' "$example" > "$tmp/acks.toml"
  check bad-setting   2 'config "acks": expected one of'  -- validate "$tmp/acks.toml"
  check fuzz-few      0 '2 seed\(s\), no invariant broken' -- fuzz "$example" --seeds 2
  check fuzz-no-file  2 'expected one scenario file'     -- fuzz
  # Recordings: record, verify, export; never overwrite; refuse what is not a recording.
  check record        0 'trace_hash=[0-9a-f]{16}'        -- run "$example" --quiet --record "$tmp/run.db"
  check record-again  2 'exists already: a recording never overwrites' -- run "$example" --quiet --record "$tmp/run.db"
  check replay-verify 0 '^verified: [0-9]+ events'       -- replay "$tmp/run.db" --verify
  check replay-trace  0 'leader_change +orders-0 leader'  -- replay "$tmp/run.db"
  check export-csv    0 'trace.csv$'                     -- export "$tmp/run.db" --csv "$tmp/csv"
  # A finished recording is one file: reading it leaves no -wal/-shm next to it.
  if [ -f "$tmp/run.db" ] && [ ! -e "$tmp/run.db-wal" ] && [ ! -e "$tmp/run.db-shm" ]; then
    echo "ok   record-one-file"
  else echo "FAIL record-one-file: $(ls "$tmp" | grep run.db)"; fail=1; fi
  check replay-text   2 'not a kafkasim recording \(not an SQLite database\)' -- replay "$example"
  check replay-none   2 'no such file'                   -- replay "$tmp/none.db"
  # Built-in worlds record too: the default lesson for 10 minutes, verified by re-execution to
  # the hash the run printed; the ZooKeeper lesson and the demo; the ring is not recorded.
  run_hash=$("$bin" run orders --until 600s --quiet --record "$tmp/orders.db" | grep -o 'trace_hash=.*')
  verified=$("$bin" replay "$tmp/orders.db" --verify)
  if [ -n "$run_hash" ] && grep -q "^verified: [0-9]* events, [0-9]* trace records, trace hash ${run_hash#trace_hash=} " <<<"$verified"
  then echo "ok   record-orders"; else echo "FAIL record-orders: $run_hash / $verified"; fail=1; fi
  check replay-orders 0 'broker 101 +node_crash'         -- replay "$tmp/orders.db"
  check export-orders 0 'scenario.csv$'                  -- export "$tmp/orders.db" --csv "$tmp/orders-csv"
  if tr -d '\r' < "$tmp/orders-csv/meta.csv" | grep -qx 'world,orders'; then echo "ok   export-world"
  else echo "FAIL export-world: $(cat "$tmp/orders-csv/meta.csv")"; fail=1; fi
  check record-zk     0 'trace_hash=[0-9a-f]{16}'        -- run orders-zk --quiet --seed 4 --record "$tmp/zk.db"
  check replay-zk     0 '^verified: [0-9]+ events'       -- replay "$tmp/zk.db" --verify
  check record-demo   0 'trace_hash=[0-9a-f]{16}'        -- run demo --quiet --record "$tmp/demo.db"
  check replay-demo   0 'node 3 crashed \(kill -9\)'     -- replay "$tmp/demo.db"
  check record-ring   2 'the ring is a benchmark workload, not recorded' -- run ring --record "$tmp/ring.db"
  # Nothing the user has is overwritten: a second export into the same directory is refused
  # and the user's own file there is kept; a directory is not a recording.
  echo "my notes" > "$tmp/orders-csv/trace.csv"
  check export-again  2 'is not empty'                   -- export "$tmp/orders.db" --csv "$tmp/orders-csv"
  if [ "$(cat "$tmp/orders-csv/trace.csv")" = "my notes" ]; then echo "ok   export-kept"
  else echo "FAIL export-kept: trace.csv was overwritten"; fail=1; fi
  check replay-dir    2 'is a directory, not a recording' -- replay "$tmp/orders-csv"
  check record-exists 2 'exists already'                 -- run orders --until 1s --record "$tmp/orders.db"
  mkfifo "$tmp/pipe.toml"
  check run-fifo      2 'a named pipe'                   -- run "$tmp/pipe.toml"
  if command -v sqlite3 >/dev/null; then
    cp "$tmp/demo.db" "$tmp/future.db"
    sqlite3 "$tmp/future.db" "UPDATE meta SET value = 'orders-kraft' WHERE key = 'world'"
    check replay-unknown-world 2 'future.db is a recording of the built-in world "orders-kraft" .*built-in worlds: demo, orders, orders-zk' -- replay "$tmp/future.db"
  fi
  # Same scenario and seed, same trace hash, across processes; another seed, another hash.
  s1=$("$bin" run "$example" --quiet | grep -o 'trace_hash=.*')
  s2=$("$bin" run "$example" --quiet | grep -o 'trace_hash=.*')
  s3=$("$bin" run "$example" --quiet --seed 5 | grep -o 'trace_hash=.*')
  if [ -n "$s1" ] && [ "$s1" = "$s2" ] && [ "$s1" != "$s3" ]; then echo "ok   scenario-determinism"
  else echo "FAIL scenario-determinism: $s1 $s2 $s3"; fail=1; fi
fi
exit $fail
