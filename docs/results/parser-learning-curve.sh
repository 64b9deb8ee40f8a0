#!/usr/bin/env bash
# The parser's learning curve: dev bracket F1 when the default recipe trains on a random
# 1/8, 1/4 and 1/2 of SST train (RESULTS.md, "How far 90 is: the learning curve").
# Each subset keeps the full run's number of updates and its learning-rate schedule per
# update: 1/f of the data gets f × 10 epochs and a decay of 0.8^(1/f) per epoch.
# Usage (needs python3 for the seeded draw; about 2 min of CPU per run):
#   docs/results/parser-learning-curve.sh --data ../shared/data/sst --glove FILE [--seed S]
# Options: --binary PATH (default: .build/release/sentree), --work DIR (default: a new
# temporary folder; subsets and parser files go there, logs too).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="" glove="" seed=1 binary="$repo/.build/release/sentree" work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --glove) glove="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "parser-learning-curve.sh: unknown option '$1' (see --help)" >&2; exit 1 ;;
    esac
done
[ -n "$data" ] && [ -f "$data/train.txt" ] && [ -f "$data/dev.txt" ] \
    || { echo "parser-learning-curve.sh: --data DIR with train.txt and dev.txt is required" >&2; exit 1; }
[ -f "$glove" ] || { echo "parser-learning-curve.sh: --glove FILE is required" >&2; exit 1; }
[ -x "$binary" ] || { echo "parser-learning-curve.sh: no binary at $binary (swift build -c release)" >&2; exit 1; }
work="${work:-$(mktemp -d)}"
# The draw is fixed (seed 7) whatever --seed is: --seed is the parser's training seed.
python3 - "$data/train.txt" "$work" <<'EOF'
import os, random, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
order = list(range(len(lines)))
random.seed(7)
random.shuffle(order)
for f in (2, 4, 8):
    os.makedirs(f"{sys.argv[2]}/f{f}", exist_ok=True)
    keep = sorted(order[: len(lines) // f])
    with open(f"{sys.argv[2]}/f{f}/train.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(lines[i] for i in keep) + "\n")
EOF
printf "fraction\ttrees\tepochs\tdev_f1\n"
for spec in "2 20 0.894427" "4 40 0.945742" "8 80 0.972492"; do
    set -- $spec
    dir="$work/f$1"
    cp "$data/dev.txt" "$dir/dev.txt"
    "$binary" parser train --data "$dir" --embeddings "$glove" --out "$dir/parser-seed$seed.safetensors" \
        --epochs "$2" --lr-decay "$3" --threads 1 --seed "$seed" > "$dir/seed$seed.log" 2>&1
    f1=$(sed -n 's/.*: dev F1 \([0-9.]*\) (epoch.*/\1/p' "$dir/seed$seed.log")
    printf "1/%s\t%s\t%s\t%s\n" "$1" "$(wc -l < "$dir/train.txt")" "$2" "$f1"
done
echo "work folder: $work" >&2
