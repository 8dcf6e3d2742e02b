#!/usr/bin/env bash
# Renders the default lesson at several simulated times under Xvfb and checks that each image
# is a real picture (many colours, a good share of non-background pixels) and that the images
# differ as the cluster changes (broker 101 crashes at 10 s and is fenced at about 18 s; the
# active controller crashes at 40 s).
set -u
gui="$1"; stats="$2"; out="$3"; scenarios="${4:-}"
fail=0
for t in 5s 20s 45s; do
  if ! xvfb-run -a -s "-screen 0 1600x900x24" "$gui" --at "$t" --screenshot "$out/studio_$t.png" --size 1600x900 >/dev/null 2>"$out/studio_$t.err"; then
    echo "FAIL render at $t:"; cat "$out/studio_$t.err"; fail=1; continue
  fi
  line=$("$stats" "$out/studio_$t.png")
  echo "$t: $line"
  colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
  busy=$(sed -E 's/.*busy=([0-9.]+).*/\1/' <<<"$line")
  if [ "$colours" -lt 50 ] || awk "BEGIN{exit !($busy < 0.05)}"; then
    echo "FAIL the image at $t looks blank"; fail=1
  fi
done
# The assets shipped in assets/ are read without a warning.
if grep -q warning "$out/studio_5s.err"; then echo "FAIL assets/ gave warnings:"; cat "$out/studio_5s.err"; fail=1; fi
# Presenter mode: high contrast, a larger font, its own layout; not blank, and not the
# everyday picture of the same moment.
if xvfb-run -a -s "-screen 0 1600x900x24" "$gui" --at 20s --presenter --screenshot "$out/presenter.png" --size 1600x900 >/dev/null 2>"$out/presenter.err"; then
  line=$("$stats" "$out/presenter.png")
  echo "presenter: $line"
  colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
  busy=$(sed -E 's/.*busy=([0-9.]+).*/\1/' <<<"$line")
  if [ "$colours" -lt 50 ] || awk "BEGIN{exit !($busy < 0.05)}"; then
    echo "FAIL the presenter-mode image looks blank"; fail=1
  fi
  line=$("$stats" "$out/studio_20s.png" "$out/presenter.png")
  changed=$(sed -E 's/changed=//' <<<"$line")
  echo "20s vs presenter: $line"
  if awk "BEGIN{exit !($changed < 0.05)}"; then echo "FAIL presenter mode looks like the everyday view"; fail=1; fi
else
  echo "FAIL render in presenter mode:"; cat "$out/presenter.err"; fail=1
fi
# A malformed theme file: one warning with file:line, the built-in colours, still a picture.
mkdir -p "$out/bad_assets" "$out/odd_assets"
printf '[dark]\nbackground = "#0f1214\nline_scale = 1\n' > "$out/bad_assets/theme.toml"
cp "${0%/*}/../../assets/layout.toml" "$out/bad_assets/layout.toml"
if xvfb-run -a -s "-screen 0 1400x800x24" "$gui" --assets "$out/bad_assets" --at 5s --screenshot "$out/bad_theme.png" --size 1400x800 >/dev/null 2>"$out/bad_theme.err"; then
  line=$("$stats" "$out/bad_theme.png")
  echo "malformed theme: $line"
  colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
  if [ "$colours" -lt 50 ]; then echo "FAIL the image with a malformed theme looks blank"; fail=1; fi
  if ! grep -q "warning: $out/bad_assets/theme.toml:2:" "$out/bad_theme.err" || [ "$(wc -l <"$out/bad_theme.err")" -ne 1 ]; then
    echo "FAIL expected one warning at theme.toml:2, got:"; cat "$out/bad_theme.err"; fail=1
  fi
else
  echo "FAIL a malformed theme file stopped the studio:"; cat "$out/bad_theme.err"; fail=1
fi
# Wrong values (through $KAFKASIM_ASSETS) and a missing layout.toml: warnings, no crash.
printf '[high-contrast.status]\nrunning = "green"\n[dark]\nline_scale = "thick"\n' > "$out/odd_assets/theme.toml"
if KAFKASIM_ASSETS="$out/odd_assets" xvfb-run -a -s "-screen 0 1400x800x24" "$gui" --presenter --at 5s --screenshot "$out/odd_theme.png" --size 1400x800 >/dev/null 2>"$out/odd_theme.err"; then
  if ! grep -q 'theme.toml:2:11: running expects a colour.*(and 1 more)' "$out/odd_theme.err" ||
     ! grep -q 'layout.toml: cannot be read' "$out/odd_theme.err"; then
    echo "FAIL wrong theme values: unexpected warnings:"; cat "$out/odd_theme.err"; fail=1
  else echo "malformed theme and missing layout: warnings, built-in values"; fi
else
  echo "FAIL wrong theme values stopped the studio:"; cat "$out/odd_theme.err"; fail=1
fi
for pair in "5s 20s" "20s 45s"; do
  set -- $pair
  line=$("$stats" "$out/studio_$1.png" "$out/studio_$2.png")
  echo "$1 vs $2: $line"
  changed=$(sed -E 's/changed=//' <<<"$line")
  if awk "BEGIN{exit !($changed < 0.002)}"; then echo "FAIL $1 and $2 look the same"; fail=1; fi
done
# A scenario file opens in the studio: its cluster (the 30 ms links of lesson 5) and narration.
if [ -n "$scenarios" ]; then
  f="$scenarios/05-acks-and-min-isr.toml"
  if xvfb-run -a -s "-screen 0 1400x800x24" "$gui" "$f" --at 12s --screenshot "$out/scenario.png" --size 1400x800 >/dev/null 2>"$out/scenario.err"; then
    line=$("$stats" "$out/scenario.png")
    echo "scenario: $line"
    colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
    if [ "$colours" -lt 50 ]; then echo "FAIL the scenario image looks blank"; fail=1; fi
  else
    echo "FAIL render of $f:"; cat "$out/scenario.err"; fail=1
  fi
  # The partition view: lesson 9 after 101 returns, its log diverging from the leader's.
  f="$scenarios/09-kip101-outage-legacy.toml"
  if xvfb-run -a -s "-screen 0 1600x900x24" "$gui" "$f" --at 115s --select orders-0 --screenshot "$out/partition_view.png" --size 1600x900 >/dev/null 2>"$out/partition_view.err"; then
    line=$("$stats" "$out/partition_view.png")
    echo "partition view: $line"
    colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
    if [ "$colours" -lt 50 ]; then echo "FAIL the partition view image looks blank"; fail=1; fi
  else
    echo "FAIL render of the partition view of $f:"; cat "$out/partition_view.err"; fail=1
  fi
  if "$gui" "$f" --select 2>/dev/null; then echo "FAIL --select without a value accepted"; fail=1; fi
  # The inspector, opened on a broker and a partition (and on a producer) of lesson 3.
  f="$scenarios/03-leader-failover.toml"
  for sel in 102,orders-0 10000; do
    png="$out/inspector_${sel%%,*}.png"
    if xvfb-run -a -s "-screen 0 1600x900x24" "$gui" "$f" --at 20s --select "$sel" --screenshot "$png" --size 1600x900 >/dev/null 2>"$out/inspector.err"; then
      line=$("$stats" "$png")
      echo "inspector $sel: $line"
      colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
      if [ "$colours" -lt 50 ]; then echo "FAIL the inspector image looks blank"; fail=1; fi
    else
      echo "FAIL render of the inspector ($sel):"; cat "$out/inspector.err"; fail=1
    fi
  done
  if "$gui" "$f" --select abc,orders-0 2>"$out/select.err"; then echo "FAIL --select abc,orders-0 was accepted"; fail=1
  elif ! grep -q -- '--select expects' "$out/select.err"; then
    echo "FAIL bad --select error:"; cat "$out/select.err"; fail=1
  else echo "bad --select refused"; fi
  # The cluster view on a big cluster (9 brokers, 3 controllers, 100 partitions) with a crashed,
  # a paused and an isolated broker and a slow link; then lesson 11 drawing a partition.
  big="$(dirname "$0")/big_cluster.toml"
  for run in "big_cluster 1600x900 $big --at 22s" "big_cluster_small 1400x800 $big --at 22s" \
             "draw_partition 1600x900 $scenarios/11-isolated-leader.toml --at 5s --draw-partition 101,1"; do
    set -- $run
    name="$1"; size="$2"; shift 2
    if xvfb-run -a -s "-screen 0 ${size}x24" "$gui" "$@" --screenshot "$out/$name.png" --size "$size" >/dev/null 2>"$out/$name.err"; then
      line=$("$stats" "$out/$name.png")
      echo "$name: $line"
      colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
      busy=$(sed -E 's/.*busy=([0-9.]+).*/\1/' <<<"$line")
      if [ "$colours" -lt 50 ] || awk "BEGIN{exit !($busy < 0.05)}"; then
        echo "FAIL the $name image looks blank"; fail=1
      fi
    else
      echo "FAIL render of $name:"; cat "$out/$name.err"; fail=1
    fi
  done
  if "$gui" "$f" --draw-partition 101,x 2>"$out/draw.err"; then echo "FAIL --draw-partition 101,x accepted"; fail=1
  elif ! grep -q -- '--draw-partition expects' "$out/draw.err"; then
    echo "FAIL bad --draw-partition error:"; cat "$out/draw.err"; fail=1
  else echo "bad --draw-partition refused"; fi
  printf '[scenario]\nname = "x"\nduration = 60\n' > "$out/bad.toml"
  if "$gui" "$out/bad.toml" 2>"$out/bad.err"; then echo "FAIL a bad scenario file opened"; fail=1
  elif ! grep -q 'bad.toml:3:12: \[scenario\] duration' "$out/bad.err"; then
    echo "FAIL bad scenario error:"; cat "$out/bad.err"; fail=1
  else echo "bad scenario file refused"; fi
fi
exit $fail
