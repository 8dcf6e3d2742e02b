#!/usr/bin/env bash
# Side-by-side ring benchmark: kafkasim against the peers in ../shared/bench-peers (ns-3's
# schedulers and the bare reference heaps), interleaved in one run so machine noise hits all
# alike. Prints the median msgs/s of each and kafkasim's ratio to ns-3's fastest scheduler.
#   tests/bench/compare_peers.sh [RUNS]      (needs a build in build/; installs libns3-dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
peers_src="../shared/bench-peers"
[ -d "$peers_src" ] || { echo "compare_peers: $peers_src not found" >&2; exit 2; }
if ! dpkg-query -W -f='${Status}' libns3-dev 2>/dev/null | grep -q "install ok installed"; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends libns3-dev >/dev/null
fi
work=build/peers
rm -rf "$work" && mkdir -p "$work" && cp -r "$peers_src"/. "$work"/ && chmod -R u+w "$work"
make -s -C "$work" ref ns3 >/dev/null
declare -A cmds=(
  [kafkasim]="build/kafkasim_ring --messages=1000000"
  [ns3-Map]="$work/build/ns3_ring --messages=1000000 --scheduler=ns3::MapScheduler"
  [ns3-Heap]="$work/build/ns3_ring --messages=1000000 --scheduler=ns3::HeapScheduler"
  [ns3-Calendar]="$work/build/ns3_ring --messages=1000000 --scheduler=ns3::CalendarScheduler"
  [ns3-PriorityQueue]="$work/build/ns3_ring --messages=1000000 --scheduler=ns3::PriorityQueueScheduler"
  [ref-fnptr]="$work/build/ref_ring --messages=1000000 --kernel=fnptr"
  [ref-fnptr4k]="$work/build/ref_ring --messages=1000000 --kernel=fnptr4k"
)
order=(kafkasim ns3-Map ns3-Heap ns3-Calendar ns3-PriorityQueue ref-fnptr ref-fnptr4k)
declare -A rates
for ((r = 0; r < runs; r++)); do
  for name in "${order[@]}"; do
    rate=$(${cmds[$name]} | grep -o 'msgs_per_s=[0-9.]*' | head -1 | cut -d= -f2)
    rates[$name]+="$rate "
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
printf "%-20s %14s\n" "ring (100 nodes, 1M msgs)" "median msgs/s"
best_ns3=0
for name in "${order[@]}"; do
  m=$(median "${rates[$name]}")
  printf "%-20s %14.0f\n" "$name" "$m"
  if [[ $name == ns3-* ]] && awk "BEGIN{exit !($m > $best_ns3)}"; then best_ns3=$m; fi
done
k=$(median "${rates[kafkasim]}")
awk -v k="$k" -v n="$best_ns3" 'BEGIN{printf "kafkasim / fastest ns-3 scheduler = %.2fx\n", k / n}'
