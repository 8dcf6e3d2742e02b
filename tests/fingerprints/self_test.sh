#!/usr/bin/env bash
# The fingerprint check can fail: a pinned file with one trace hash changed, one entry removed
# and one invented must make it exit 1 naming all three.
set -u
kafkasim="$1" scenarios="$2" pinned="$3"
here=$(dirname "$0")
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
awk 'NR == 2 { $4 = "0000000000000000" } NR == 3 { next } { print } END { print "invented.toml 1 1 ffffffffffffffff" }' \
  "$pinned" >"$tmp"
out=$(bash "$here/fingerprints.sh" "$kafkasim" "$scenarios" "$tmp"); rc=$?
fail=0
[ $rc -eq 1 ] || { echo "FAIL: exit $rc, expected 1"; fail=1; }
for want in "^CHANGED $(awk 'NR == 2 { print $1 }' "$pinned")" \
            "^NEW     $(awk 'NR == 3 { print $1 }' "$pinned")" "^GONE    invented.toml"; do
  grep -qE "$want" <<<"$out" || { echo "FAIL: no line /$want/ in:"; echo "$out"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok: a changed, a missing and an unknown fingerprint are each named"
exit $fail
