#!/usr/bin/env bash
# The scale benchmark behind the README's figures: ingests the samples plus the 24,353-article corpus into one index,
# then runs both evaluation sets and the latency benchmark over it. Needs ../shared; writes only under $OUT.
#   bash bench/run-corpus.sh            # embedded SQLite index in /tmp/newsbot-bench
#   OUT=/some/dir bash bench/run-corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
OUT=${OUT:-/tmp/newsbot-bench}
mkdir -p "$OUT"
INDEX="$OUT/corpus.db"
rm -f "$INDEX" "$INDEX-wal" "$INDEX-shm"

dotnet publish src/NewsBot/NewsBot.csproj -c Release -o "$OUT/bin" --nologo -v quiet >/dev/null
NEWSBOT=("dotnet" "$OUT/bin/newsbot.dll" "--index" "$INDEX")

echo "## machine"
echo "cores: $(nproc), memory: $(free -g | awk '/Mem:/{print $2}') GiB, cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

echo "## ingest (samples + corpus)"
/usr/bin/time -f "peak_rss_mb %M" "${NEWSBOT[@]}" ingest samples/news "$SHARED/datasets/news-corpus.jsonl.gz" 2>&1 \
  | awk '/peak_rss_mb/{printf "peak memory %.0f MB\n", $2/1024; next} {print}'

echo "## eval dev.jsonl"
"${NEWSBOT[@]}" eval "$SHARED/eval/dev.jsonl" --json
echo "## eval realtimeqa-dev.jsonl"
"${NEWSBOT[@]}" eval "$SHARED/eval/realtimeqa-dev.jsonl" --json
echo "## latency (realtimeqa questions, 3 timed runs after a warm-up)"
/usr/bin/time -f "peak_rss_mb %M" "${NEWSBOT[@]}" bench "$SHARED/eval/realtimeqa-dev.jsonl" --runs 3 2>&1 \
  | awk '/peak_rss_mb/{printf "process peak memory %.0f MB\n", $2/1024; next} {print}'
