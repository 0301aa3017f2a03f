#!/usr/bin/env bash
# The command end to end on a synthetic local authority: 200,000 children over collection years
# 2019-2024 (seed 42), written by `csc-measures synth` as the real returns (CIN census XML and
# SSDA903 CSV folders), then each command timed with /usr/bin/time, three runs each:
#
#   compute   every measure for the latest year (the default period);
#   check     the data-quality work list;
#   series    every measure over 60 rolling 12-month windows (month-ends April 2019 to March 2024).
#
# Usage: benches/compute-la.sh [CHILDREN] (default 200000). Set KEEP=DIR to write the returns into
# DIR and keep them. Prints the input size, each run's wall time, CPU time and peak memory, and the
# median wall time of each command.
set -euo pipefail
cd "$(dirname "$0")/.."

children=${1:-200000}
# shellcheck source=benches/setup.sh
source benches/setup.sh
"$bin" synth --out "$dir" --children "$children" --years 2019-2024 --seed 42 >/dev/null

args=()
for y in 2019 2020 2021 2022 2023 2024; do
    args+=(--cin "$y=$dir/$y/cin.xml" --ssda903 "$y=$dir/$y/ssda903")
done
bytes=$(du -cb "$dir"/*/cin.xml "$dir"/*/ssda903 | tail -1 | cut -f1)
echo "$children children, 2019-2024: input $((bytes / 1000000)) MB ($(nproc) cores)"

run() {
    local name=$1
    shift
    local walls=()
    for i in 1 2 3; do
        /usr/bin/time -o "$dir/time" -f "%e %U %S %M" "$bin" "$@" "${args[@]}" >/dev/null
        read -r wall user sys kb <"$dir/time"
        echo "  $name run $i: ${wall} s wall, ${user} s user, ${sys} s sys, $((kb / 1024)) MB peak"
        walls+=("$wall")
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
    echo "$name: median ${median} s wall"
}

run compute compute
run check check
run series compute --series rolling:12 --start 2019-04-01 --end 2024-03-31 --format csv
