#!/usr/bin/env bash
# kafkasim-gui --check-layout over every lesson and the built-in worlds, at the sizes a class
# uses (a 1280x720 projector and 1920x1080, in presenter mode; 1280x720 and 1600x900 everyday)
# and at several moments: no two boxes the panels drew may overlap, and none may be clipped.
# One Xvfb server for the whole run (starting one per check would double the time).
set -u
gui="$1"; scenarios="$2"
if [ "${3:-}" != "--inside" ]; then
  exec xvfb-run -a -s "-screen 0 2560x1440x24" bash "$0" "$gui" "$scenarios" --inside
fi
fail=0 runs=0
check() {  # check WHAT ARGS...: one frame; its report when it is not clean
  local what="$1"; shift
  local out
  out=$("$gui" "$@" --check-layout 2>&1); local rc=$?
  runs=$((runs + 1))
  if [ $rc -ne 0 ]; then
    echo "FAIL $what (exit $rc):"; echo "$out" | sed 's/^/  /'; fail=1
  fi
}
for f in "$scenarios"/*.toml orders orders-zk; do
  name=$(basename "$f" .toml)
  check "$name at 8s, 1280x720 presenter" "$f" --at 8s --size 1280x720 --presenter
  check "$name at 30s, 1280x720 presenter" "$f" --at 30s --size 1280x720 --presenter
  check "$name at 30s, 1920x1080 presenter" "$f" --at 30s --size 1920x1080 --presenter
  check "$name at 30s, 1280x720" "$f" --at 30s --size 1280x720
  check "$name at 20s, 1600x900" "$f" --at 20s --size 1600x900
done
# Larger text (Ctrl+= twice) on the default lesson; and a projector's presenter mode with
# larger text still (the captions give way before anything overlaps).
check "orders at 30s, 1600x900, font x1.4" orders --at 30s --size 1600x900 --font-scale 1.4
for f in "$scenarios"/0[0-4]*.toml "$scenarios"/18-*.toml; do
  for k in 1.25 1.5; do
    check "$(basename "$f" .toml) at 12s, 1280x720 presenter, font x$k" "$f" --at 12s \
      --size 1280x720 --presenter --font-scale $k
  done
done
echo "$runs layouts checked"
exit $fail
