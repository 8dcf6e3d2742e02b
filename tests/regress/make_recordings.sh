#!/usr/bin/env bash
# Makes the damaged recordings of recordings/ from a real one (README.md): lesson 1 recorded,
# compacted to 512-byte pages so each file stays small, then broken one way per file. Needs the
# sqlite3 command (Debian: sqlite3). The files are checked in; run this only to remake them.
#
#   make_recordings.sh KAFKASIM [OUTDIR]     (OUTDIR defaults to recordings/ beside this script)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$1"
out="${2:-$here/recordings}"
root="$(cd "$here/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

(cd "$root" && "$bin" run scenarios/01-topics-partitions-offsets.toml --quiet \
  --record "$tmp/full.db" >/dev/null)
sqlite3 "$tmp/full.db" "PRAGMA page_size = 512; VACUUM;"
base="$tmp/full.db"
page=512

# variant NAME EXPECT SQL: a copy of the base recording changed by SQL, with its sidecar.
variant() {
  cp "$base" "$out/$1"
  sqlite3 "$out/$1" "$3"
  echo "$2" > "$out/$1.exit"
}
sidecar() { echo "$2" > "$out/$1.exit"; }

# Sound: replays, verifies and exports (the corpus' control).
cp "$base" "$out/lesson-01.db"
sidecar lesson-01.db 0
# The file's bytes broken.
head -c $(( $(stat -c %s "$base") / 2 )) "$base" > "$out/truncated-half.db"
sidecar truncated-half.db 2
cp "$base" "$out/zeroed-header-page.db"
dd if=/dev/zero of="$out/zeroed-header-page.db" bs=$page count=1 conv=notrunc status=none
sidecar zeroed-header-page.db 2
printf 'SQLite format 3\0 but then only text, as if a log had been saved under this name\n' \
  > "$out/text-garbage.db"
sidecar text-garbage.db 2
# The header's first page kept, every later page zeroed: tables named, their pages gone.
cp "$base" "$out/zeroed-after-header.db"
dd if=/dev/zero of="$out/zeroed-after-header.db" bs=$page seek=1 \
  count=$(( $(stat -c %s "$base") / page - 1 )) conv=notrunc status=none
sidecar zeroed-after-header.db 2
# Sound SQLite, wrong content.
variant schema-version-99.db 2 "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
variant schema-version-text.db 2 "UPDATE meta SET value = 'one' WHERE key = 'schema_version'"
variant no-meta-table.db 2 "DROP TABLE meta"
variant no-trace-table.db 2 \
  "DROP VIEW leader_changes; DROP VIEW isr_changes; DROP VIEW faults; DROP VIEW group_events;
   DROP TABLE trace"
variant unknown-trace-kind.db "2 export=0" "UPDATE trace SET kind = 'bogus' WHERE seq = 3"
variant bad-command.db "2 export=0" \
  "INSERT INTO commands(at_ns, after_event, source, description, encoded)
   VALUES (1000, 0, 'scheduled', 'explode', 'explode|node=101')"
variant scenario-no-longer-loads.db "2 export=0" "UPDATE scenario SET text = 'not = [toml'"
variant world-and-scenario.db "2 export=0" "INSERT INTO meta(key, value) VALUES ('world', 'orders')"
variant cut-off-no-summary.db 0 "DELETE FROM summary"
variant trace-differs.db "1 export=0" \
  "UPDATE trace SET reason = reason || ' (edited)' WHERE seq = (SELECT MAX(seq) FROM trace)"
variant negative-until.db "2 export=0" "UPDATE scenario SET until_ns = -5000000000"
variant trace-hash-not-hex.db "2 export=0" "UPDATE summary SET trace_hash = 'not hex'"
variant trace-hash-too-long.db "2 export=0" \
  "UPDATE summary SET trace_hash = 'ffffffffffffffffffffffff'"
# Each value read as the loader reads a scenario file's (issue #20): nonsense commands, fields out
# of their type or range, times past the longest run.
cmd() {  # cmd NAME AT_NS AFTER_EVENT SOURCE ENCODED
  variant "$1" "2 export=0" "INSERT INTO commands(at_ns, after_event, source, description, encoded)
    VALUES ($2, $3, '$4', 'x', '$5')"
}
cmd command-unknown-node.db 1000 0 scheduled 'crash|node=99999'
cmd command-restart-running.db 1000 5 interactive 'restart|node=101'
cmd command-value-not-int.db 1000 5 interactive \
  'set_config|topic=orders|key=min.insync.replicas|value=i:abc'
cmd command-empty-replicas.db 1000 5 interactive 'reassign|partition=orders-0|replicas='
cmd command-negative-after-event.db 1000 -1 interactive 'crash|node=101'
cmd command-pause-forever.db 1000 0 scheduled 'pause|node=101|for=9223372036854775807'
cmd command-link-latency-forever.db 1000 0 scheduled \
  'link|a=101|b=102|latency=9223372036854775807'
cmd command-at-end-of-time.db 9223372036854775807 0 scheduled 'crash|node=101'
variant seed-text.db "2 export=0" "UPDATE scenario SET seed = 'abc'"
variant seed-huge-real.db "2 export=0" "UPDATE scenario SET seed = 1e300"
variant until-100-years.db "2 export=0" "UPDATE scenario SET until_ns = 3155760000000000000"
variant until-end-of-time.db "2 export=0" "UPDATE scenario SET until_ns = 9223372036854775807"
variant events-negative.db "2 export=0" "UPDATE summary SET events = -1"
ls -la "$out"
