# Sourced by the timing scripts of benches/ from the repository's root: checks for /usr/bin/time,
# builds the release binary (`$bin`) and makes the folder the files are written into (`$dir`):
# KEEP=DIR if set (kept), else a temporary folder removed on exit.
if [ ! -x /usr/bin/time ]; then
    echo "needs /usr/bin/time (Debian: apt-get install time)" >&2
    exit 2
fi
cargo build --release --locked -q -p csc-cli
bin=target/release/csc-measures

if [ -n "${KEEP:-}" ]; then
    dir=$KEEP
    mkdir -p "$dir"
else
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
fi
