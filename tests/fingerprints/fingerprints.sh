#!/usr/bin/env bash
# Pinned fingerprints: every lesson in scenarios/ and every built-in world, run headless at its
# own seed (`kafkasim run X --quiet`), gives an event count and a trace hash. fingerprints.txt
# keeps them; a change to any is a change of behaviour, and the commit that regenerates the
# file says which behaviour changed and why.
#
#   fingerprints.sh KAFKASIM SCENARIOS_DIR FILE           compare; exit 1 naming each change
#   fingerprints.sh KAFKASIM SCENARIOS_DIR FILE --update  rewrite FILE from this build
set -u
kafkasim="$1" scenarios="$2" file="$3" mode="${4:-}"
now=$(mktemp)
trap 'rm -f "$now"' EXIT

# One line per run: NAME SEED EVENTS TRACE_HASH.
fingerprint() {  # fingerprint NAME ARG
  local name="$1" arg="$2" out seed events hash
  if ! out=$("$kafkasim" run "$arg" --quiet 2>&1); then
    echo "fingerprints: kafkasim run $arg failed:" >&2
    echo "$out" | tail -5 >&2
    return 1
  fi
  seed=$(grep -oE 'seed=[0-9]+' <<<"$out" | head -1 | cut -d= -f2)
  # A scenario's summary says "65157 events", a built-in world's "events=1894".
  events=$(grep -oE '([0-9]+ events|events=[0-9]+)' <<<"$out" | head -1 | grep -oE '[0-9]+')
  hash=$(grep -oE 'trace_hash=[0-9a-f]+' <<<"$out" | tail -1 | cut -d= -f2)
  if [ -z "$seed" ] || [ -z "$events" ] || [ -z "$hash" ]; then
    echo "fingerprints: no seed, event count or trace hash in the summary of $arg" >&2
    return 1
  fi
  echo "$name $seed $events $hash"
}

{
  echo "# name seed events trace_hash (tests/fingerprints/fingerprints.sh --update rewrites it)"
  for f in "$scenarios"/*.toml; do
    fingerprint "$(basename "$f")" "$f" || exit 2
  done
  for w in demo orders orders-zk ring; do
    fingerprint "$w" "$w" || exit 2
  done
} >"$now"

if [ "$mode" = "--update" ]; then
  cp "$now" "$file"
  echo "fingerprints: wrote $(grep -vc '^#' "$file") fingerprints to $file"
  exit 0
fi
if [ ! -f "$file" ]; then
  echo "fingerprints: $file is missing (run with --update to write it)" >&2
  exit 2
fi
# Compare run by run: a changed, missing or new entry is named.
fail=0
while read -r name seed events hash; do
  [ "${name:0:1}" = "#" ] && continue
  pinned=$(awk -v n="$name" '$1 == n { print $2, $3, $4 }' "$file")
  if [ -z "$pinned" ]; then
    echo "NEW     $name: seed $seed, $events events, trace $hash (not pinned)"; fail=1
  elif [ "$pinned" != "$seed $events $hash" ]; then
    echo "CHANGED $name: pinned seed/events/trace $pinned, now $seed $events $hash"; fail=1
  fi
done <"$now"
while read -r name _; do
  [ "${name:0:1}" = "#" ] && continue
  grep -q "^$name " "$now" || { echo "GONE    $name: pinned, but no longer run"; fail=1; }
done <"$file"
if [ $fail -ne 0 ]; then
  echo "A fingerprint changed: behaviour changed. If that is intended, regenerate with"
  echo "  bash tests/fingerprints/fingerprints.sh build/kafkasim scenarios tests/fingerprints/fingerprints.txt --update"
  echo "and say in the commit which behaviour changed and why."
  exit 1
fi
echo "fingerprints: all $(grep -vc '^#' "$file") match"
