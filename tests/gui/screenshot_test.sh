#!/usr/bin/env bash
# Renders the default lesson at several simulated times under Xvfb and checks that each image
# is a real picture (many colours, a good share of non-background pixels) and that the images
# differ as the cluster changes (broker 101 crashes at 10 s and is fenced at about 18 s; the
# active controller crashes at 40 s).
set -u
gui="$1"; stats="$2"; out="$3"; scenarios="${4:-}"; cli="${5:-}"
fail=0
# shot NAME WxH CHECK ARGS...: renders the studio with ARGS at WxH to $out/NAME.png (its stderr
# in $out/NAME.err) and checks the image is a real picture: at least 50 colours, and with
# CHECK=busy also at least 5% of pixels off the background (CHECK=none: rendering is enough).
shot() {
  local name="$1" size="$2" check="$3"; shift 3
  if ! xvfb-run -a -s "-screen 0 ${size}x24" "$gui" "$@" --screenshot "$out/$name.png" --size "$size" >/dev/null 2>"$out/$name.err"; then
    echo "FAIL render of $name:"; cat "$out/$name.err"; fail=1; return 1
  fi
  [ "$check" = none ] && return 0
  local line colours busy
  line=$("$stats" "$out/$name.png")
  echo "$name: $line"
  colours=$(sed -E 's/.*colours=([0-9]+).*/\1/' <<<"$line")
  busy=$(sed -E 's/.*busy=([0-9.]+).*/\1/' <<<"$line")
  if [ "$colours" -lt 50 ] || { [ "$check" = busy ] && awk "BEGIN{exit !($busy < 0.05)}"; }; then
    echo "FAIL the $name image looks blank"; fail=1
  fi
  return 0
}
for t in 5s 20s 45s; do
  shot "studio_$t" 1600x900 busy --at "$t"
done
# The assets shipped in assets/ are read without a warning.
if grep -q warning "$out/studio_5s.err"; then echo "FAIL assets/ gave warnings:"; cat "$out/studio_5s.err"; fail=1; fi
# Presenter mode: high contrast, a larger font, its own layout; not blank, and not the
# everyday picture of the same moment.
if shot presenter 1600x900 busy --at 20s --presenter; then
  line=$("$stats" "$out/studio_20s.png" "$out/presenter.png")
  changed=$(sed -E 's/changed=//' <<<"$line")
  echo "20s vs presenter: $line"
  if awk "BEGIN{exit !($changed < 0.05)}"; then echo "FAIL presenter mode looks like the everyday view"; fail=1; fi
fi
# A malformed theme file: one warning with file:line, the built-in colours, still a picture.
mkdir -p "$out/bad_assets" "$out/odd_assets"
printf '[dark]\nbackground = "#0f1214\nline_scale = 1\n' > "$out/bad_assets/theme.toml"
cp "${0%/*}/../../assets/layout.toml" "$out/bad_assets/layout.toml"
if shot bad_theme 1400x800 colours --assets "$out/bad_assets" --at 5s; then
  if ! grep -q "warning: $out/bad_assets/theme.toml:2:" "$out/bad_theme.err" || [ "$(wc -l <"$out/bad_theme.err")" -ne 1 ]; then
    echo "FAIL expected one warning at theme.toml:2, got:"; cat "$out/bad_theme.err"; fail=1
  fi
fi
# Wrong values (through $KAFKASIM_ASSETS) and a missing layout.toml: warnings, no crash.
printf '[high-contrast.status]\nrunning = "green"\n[dark]\nline_scale = "thick"\n' > "$out/odd_assets/theme.toml"
if KAFKASIM_ASSETS="$out/odd_assets" shot odd_theme 1400x800 none --presenter --at 5s; then
  if ! grep -q 'theme.toml:2:11: running expects a colour.*(and 1 more)' "$out/odd_theme.err" ||
     ! grep -q 'layout.toml: cannot be read' "$out/odd_theme.err"; then
    echo "FAIL wrong theme values: unexpected warnings:"; cat "$out/odd_theme.err"; fail=1
  else echo "malformed theme and missing layout: warnings, built-in values"; fi
fi
for pair in "5s 20s" "20s 45s"; do
  set -- $pair
  line=$("$stats" "$out/studio_$1.png" "$out/studio_$2.png")
  echo "$1 vs $2: $line"
  changed=$(sed -E 's/changed=//' <<<"$line")
  if awk "BEGIN{exit !($changed < 0.002)}"; then echo "FAIL $1 and $2 look the same"; fail=1; fi
done
# Ten minutes of the default lesson recorded headless open in the studio at 10:00 and at 0:30
# (the time bar runs to where the recording stopped); at 10:00 the picture is the studio's own
# run of the lesson to 600 s (--until runs it past its 60 s), trace hash on the status line
# included.
if [ -n "$cli" ]; then
  rm -f "$out/orders-600s.db"*
  "$cli" run orders --until 600s --quiet --record "$out/orders-600s.db" >/dev/null || fail=1
  for t in 600s 30s; do
    if ! xvfb-run -a -s "-screen 0 1600x900x24" "$gui" "$out/orders-600s.db" --at "$t" \
         --screenshot "$out/recording_$t.png" --size 1600x900 >"$out/recording_$t.out" 2>&1 ||
       ! grep -q "at t=$t\$" "$out/recording_$t.out"; then
      echo "FAIL the recording at $t:"; cat "$out/recording_$t.out"; fail=1
    else echo "recording at $t: $("$stats" "$out/recording_$t.png")"; fi
  done
  shot until_600s 1600x900 busy orders --until 600s --at 600s
  line=$("$stats" "$out/recording_600s.png" "$out/until_600s.png")
  echo "recording vs --until at 600s: $line"
  if awk "BEGIN{exit !($(sed -E 's/changed=//' <<<"$line") > 0.002)}"; then
    echo "FAIL the recording at 600s does not look like the lesson run to 600s"; fail=1
  fi
  if "$gui" --until 0s 2>"$out/until.err"; then echo "FAIL --until 0s accepted"; fail=1
  elif ! grep -q -- '--until must be after 0' "$out/until.err"; then
    echo "FAIL bad --until error:"; cat "$out/until.err"; fail=1
  else echo "bad --until refused"; fi
fi
# A scenario file opens in the studio: its cluster (the 30 ms links of lesson 5) and narration.
if [ -n "$scenarios" ]; then
  f="$scenarios/05-acks-and-min-isr.toml"
  shot scenario 1400x800 colours "$f" --at 12s
  # The partition view: lesson 9 after 101 returns, its log diverging from the leader's.
  f="$scenarios/09-kip101-outage-legacy.toml"
  shot partition_view 1600x900 colours "$f" --at 115s --select orders-0
  if "$gui" "$f" --select 2>/dev/null; then echo "FAIL --select without a value accepted"; fail=1; fi
  # The inspector, opened on a broker and a partition (and on a producer) of lesson 3.
  f="$scenarios/03-leader-failover.toml"
  for sel in 102,orders-0 10000; do
    shot "inspector_${sel%%,*}" 1600x900 colours "$f" --at 20s --select "$sel"
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
    shot "$name" "$size" busy "$@"
  done
  # The Groups tab on three members of "billing" (cooperative-sticky) after the coordinator's
  # broker crashed and another took the group over: not blank, not the lesson tab of the same
  # moment; and in presenter mode at 1920x1080.
  groups="$(dirname "$0")/groups.toml"
  shot groups_lesson 1600x900 none "$groups" --at 45s
  if shot groups 1600x900 busy "$groups" --at 45s --tab groups; then
    line=$("$stats" "$out/groups_lesson.png" "$out/groups.png")
    echo "groups vs lesson tab: $line"
    changed=$(sed -E 's/changed=//' <<<"$line")
    if awk "BEGIN{exit !($changed < 0.05)}"; then echo "FAIL the Groups tab looks like the lesson tab"; fail=1; fi
  fi
  shot groups_presenter 1920x1080 busy "$groups" --at 45s --tab groups --presenter
  if "$gui" "$groups" --tab group 2>"$out/tab.err"; then echo "FAIL --tab group accepted"; fail=1
  elif ! grep -q -- '--tab expects partitions, messages, charts, groups' "$out/tab.err"; then
    echo "FAIL bad --tab error:"; cat "$out/tab.err"; fail=1
  else echo "bad --tab refused"; fi
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
