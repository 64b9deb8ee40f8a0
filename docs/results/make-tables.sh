#!/usr/bin/env bash
# Reruns every row of rows.tsv and writes the results table into README.md and RESULTS.md,
# between their `results-table` markers, with the commit and date, so the table cannot go
# stale. Usage (from anywhere; takes minutes: the Tree-LSTM rows dominate):
#   docs/results/make-tables.sh --data ../shared/data/sst --glove ../shared/data/glove/FILE
# Options: --binary PATH (default: .build/release/sentree, built if missing), --rows FILE,
# --keep DIR (keep the run directories there instead of a temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="" glove="" binary="" rows="$here/rows.tsv" keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --glove) glove="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --rows) rows="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "make-tables.sh: unknown option '$1' (see --help)" >&2; exit 1 ;;
    esac
done
[ -n "$data" ] && [ -f "$data/train.txt" ] || { echo "make-tables.sh: --data DIR with train.txt and dev.txt is required" >&2; exit 1; }
if grep -v "^#" "$rows" | grep -q GLOVE && [ ! -f "$glove" ]; then
    echo "make-tables.sh: rows use GloVe: give --glove FILE" >&2; exit 1
fi
if [ -z "$binary" ]; then
    binary="$repo/.build/release/sentree"
    (cd "$repo" && swift build -c release --product sentree >&2)
fi
work="${keep:-$(mktemp -d)}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

commit="$(git -C "$repo" rev-parse --short HEAD)"
git -C "$repo" diff --quiet HEAD -- Sources Package.swift Package.resolved || commit="$commit+changes"
started=$SECONDS
table="| model | dev runs | fine all | fine root | binary root | binary all | command |
|---|---|---|---|---|---|---|"
n=0
while IFS=$'\t' read -r label seeds threads flags; do
    case "$label" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    first="${seeds%-*}" last="${seeds#*-}"
    shown="$flags"
    flags="${flags//GLOVE/$glove}"
    runs=()
    for seed in $(seq "$first" "$last"); do
        out="$work/row$n-seed$seed"
        echo "row $n, seed $seed: sentree train $flags --seed $seed --threads $threads" >&2
        # shellcheck disable=SC2086 # flags are words by design
        "$binary" train --headless --data "$data" $flags --seed "$seed" --threads "$threads" \
            --out "$out" >/dev/null
        runs+=("$out")
    done
    # Each run's best epoch as `best` chose it (export --summary), averaged over the seeds.
    cells="$("$binary" export "${runs[@]}" --summary --csv - | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["kind"] == "run" {
            k++; fa += $col["fine_all"]; fr += $col["fine_root"]
            br += $col["binary_root"]; ba += $col["binary_all"]
        }
        END { printf "%.2f%% | %.2f%% | %.2f%% | %.2f%%", 100*fa/k, 100*fr/k, 100*br/k, 100*ba/k }')"
    if [ "$first" = "$last" ]; then who="seed $first"; else who="mean of seeds $first–$last"; fi
    [ "$threads" = 1 ] && who="$who, one thread" || who="$who, $threads threads"
    command="\`sentree train $shown --seed $first --threads $threads\`"
    [ "$first" = "$last" ] || command="\`sentree train $shown --seed S --threads $threads\`"
    table="$table
| $label | $who | $cells | $command |"
done < "$rows"

took=$((SECONDS - started))
[ $took -lt 120 ] && took="$took s" || took="$(( (took + 30) / 60 )) min"
stamp="Made by \`docs/results/make-tables.sh\` at commit \`$commit\` on $(date -u +%Y-%m-%d) ($took on
$(nproc) cores); \`GLOVE\` is GloVe 6B 50d, and every command also takes \`--headless --data DIR\`."
block="<!-- results-table:begin (written by docs/results/make-tables.sh; edit rows.tsv, not this) -->
$table

$stamp
<!-- results-table:end -->"

for file in "$repo/README.md" "$repo/RESULTS.md"; do
    grep -q '^<!-- results-table:begin' "$file" || { echo "make-tables.sh: no results-table markers in $file" >&2; exit 1; }
    BLOCK="$block" awk '
        /^<!-- results-table:begin/ { print ENVIRON["BLOCK"]; skip = 1; next }
        /^<!-- results-table:end/ { skip = 0; next }
        !skip { print }' "$file" > "$file.tmp"
    mv "$file.tmp" "$file"
    echo "wrote the table into $file" >&2
done
