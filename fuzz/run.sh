#!/bin/sh
# Run a fuzz target for SECONDS on a fresh seed corpus built from the test fixtures.
#   fuzz/run.sh SECONDS [TARGET]     TARGET: clean (the default), jsonl or warc (fuzz/fuzz_TARGET.py)
# Findings are written to fuzz/findings/ (git-ignored); turn each into a regression fixture.
set -eu
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET]}
target=${2:-clean}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(mktemp -d "${TMPDIR:-/tmp}/pagetidy-fuzz-$target.XXXXXX")
mkdir -p "$here/findings"
python "$here/seed_corpus.py" "$corpus" "$target"
# -timeout: one input may take at most 10 s; -rss_limit_mb: and 2 GiB; -max_len: 8 KiB inputs
# (long inputs only slow each execution; the pathological corpus covers size).
exec python "$here/fuzz_$target.py" "$corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$here/findings/" -print_final_stats=1
