#!/usr/bin/env bash
# The studio's command line refuses bad values before any window opens (no display needed):
# exit 2 with a message naming the option, never an abort inside GLFW or X.
set -u
gui="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # check NAME PATTERN -- ARGS...
  local name="$1" pattern="$2"
  shift 3
  local out code
  out=$(DISPLAY= timeout 20 "$gui" "$@" 2>&1)
  code=$?
  if [ "$code" != 2 ]; then
    echo "FAIL $name: exit $code, expected 2"; echo "$out" | head -3; fail=1; return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -3; fail=1; return
  fi
  echo "ok   $name"
}
check bogus          'unknown option --bogus'                -- --bogus
check size-negative  '--size expects WIDTHxHEIGHT, each 320 to 8192' -- --size -5x-5
check size-huge      '--size expects WIDTHxHEIGHT'           -- --size 100000x100000
check size-junk      '--size expects WIDTHxHEIGHT'           -- --size 1280x720x3
check font-zero      '--font-size expects pixels from 9 to 64' -- --font-size 0
check font-negative  '--font-size expects pixels'            -- --font-size -5
check font-nan       '--font-size expects pixels'            -- --font-size nan
check hide-bogus     '--hide expects cluster, details or side' -- --hide panels
check hide-all       '--hide: at least one'                  -- --hide cluster,details,side
check seed-negative  '--seed expects a non-negative integer' -- --seed -1
check font-scale-big '--font-scale expects a factor from 0.5 to 3' -- --font-scale 4
check font-scale-nan '--font-scale expects a factor'          -- --font-scale nan
check layout-bench   '--check-layout renders one frame'      -- --check-layout --frames 5 --bench
check seed-junk      '--seed expects a non-negative integer' -- --seed 12abc
check seed-twice     '--seed given twice'                    -- --seed 1 --seed 2
check frames-zero    '--frames expects a number of frames'   -- --frames 0 --bench
check until-huge     'past the longest run'                  -- --until 2562047h
check shot-nodir     'cannot write /nonexistent/a.png: there is no directory' -- --at 1s --screenshot /nonexistent/a.png
check shot-dir       'it is a directory'                     -- --at 1s --screenshot "$tmp"
check speed-big      '--speed expects simulated seconds per real second, 0.01 to 1000' -- --speed 5000
check speed-junk     '--speed expects'                       -- --speed fast
check slow-big       '--slow-motion expects the seconds a message takes to cross, 0.1 to 2' -- --slow-motion 9
check follow-junk    '--follow expects PARTITION@OFFSET'     -- --follow orders-0
check follow-neg     '--follow expects PARTITION@OFFSET'     -- --follow orders-0@-3
exit $fail
