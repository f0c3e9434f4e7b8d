#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs one libFuzzer harness for a bounded time with a persistent corpus.
# Usage: run-fuzzer.sh HARNESS SECONDS CORPUS_DIR [SEED_DIR...]
set -eu
harness=$1 seconds=$2 corpus=$3
shift 3
mkdir -p "$corpus" "$corpus.crashes"
exec "$harness" -max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$corpus.crashes/" -timeout=10 -rss_limit_mb=2048 \
	"$corpus" "$@"
