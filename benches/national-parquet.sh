#!/usr/bin/env bash
# A national decade from Parquet: 4,000,000 children over collection years 2015-2024 (seed 42),
# written once by `csc-measures synth --format parquet` (one snappy-compressed file per table,
# every year in a `year` column), then `csc-measures compute --tables DIR` of every measure for the
# latest year timed with /usr/bin/time, three runs.
#
# Usage: benches/national-parquet.sh [CHILDREN] (default 4000000). Set KEEP=DIR to write the files
# into DIR and keep them (a DIR that already holds Episodes.parquet is used as it is). Prints the
# input size, then each run's wall time, peak memory (resident set) and CPU time.
set -euo pipefail
cd "$(dirname "$0")/.."

children=${1:-4000000}
# shellcheck source=benches/setup.sh
source benches/setup.sh
if [ ! -f "$dir/Episodes.parquet" ]; then
    /usr/bin/time -f 'synth: %e s %M KB' \
        "$bin" synth --out "$dir" --children "$children" --years 2015-2024 --seed 42 \
        --format parquet >/dev/null
fi
bytes=$(du -cb "$dir"/*.parquet | tail -1 | cut -f1)
echo "$children children, 2015-2024: $(ls "$dir"/*.parquet | wc -l) Parquet files, $((bytes / 1000000)) MB ($(nproc) cores)"

for run in 1 2 3; do
    /usr/bin/time -f "run $run: %e s wall, %M KB peak, %U s user + %S s system" \
        "$bin" compute --tables "$dir" >/dev/null
done
