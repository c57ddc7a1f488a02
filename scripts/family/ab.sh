#!/usr/bin/env bash
# A/B of dedupe() on the family corpus: OLD and NEW checkouts alternated in separate processes, ROUNDS each.
#   scripts/family/ab.sh /path/to/old /path/to/new 50000 0.01 1 5   (N, edit rate, runs per process, rounds)
# Each line: checkout, then profile.ts's JSON (median of the runs in that process). Both checkouts need
# scripts/family/profile.ts and node_modules.
set -euo pipefail
old=$1 new=$2 n=$3 rate=$4 repeats=$5 rounds=$6
for ((i = 0; i < rounds; i++)); do
  for side in old new; do
    dir=${!side}
    printf '%s\t' "$side"
    (cd "$dir" && node --import tsx scripts/family/profile.ts "$n" "$rate" "$repeats" 2>/dev/null)
  done
done
