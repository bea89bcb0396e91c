#!/usr/bin/env bash
# Benchmarks of issue 3 and issue 14, against the sandbox vendor. Builds the jar and the test classes (offline), then
# runs with the test class path io.outboundbridge.bench.BridgeBenchmark (the packaged service and a naive baseline
# route, side by side) and io.outboundbridge.bench.ScaleBenchmark (lists and instances side by side, takeover after
# kill -9). Progress goes to stderr, the tables to stdout. Options are passed on to both, e.g.
#   bench/run.sh --runs=7 --big-rows=200000 --naive-128=false --keep
#   bench/run.sh --only=scale --scale-parts=ab --scale-lists=100
# --only=base or --only=scale runs one of the two. The base part takes about 2.5 to 4 minutes on 2 cores (about 1 of
# them building), the scale part about 4 minutes (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

only=""
for arg in "$@"; do
  case "$arg" in --only=*) only="${arg#--only=}" ;; esac
done

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  echo "== building (mvn -o -q package -DskipTests)" >&2
  mvn -o -q package -DskipTests
  mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
fi

# ---- issue 15, the management endpoint: start-up to first poll with it on and off, and what scraping
# /observe/metrics every second costs a 1,000,000-row list (bench/README.md "Management endpoint").
# BENCH_ONLY=management bench/run.sh runs only these; BENCH_MANAGEMENT=0 skips them.
management_startup() {
  # on and off take turns (3 rounds of 3 starts each), so that a change in the machine's load weighs on both alike
  echo "== start-up to first poll, management endpoint on (as shipped) and off: bin/outbound-bridge, 3 x 3 starts each" >&2
  for round in 1 2 3; do
    echo "round $round, management on:"
    bench/startup.sh 3 --launcher
    echo "round $round, management off (camel.management.enabled=false):"
    STARTUP_JAVA_OPTS=-Dcamel.management.enabled=false bench/startup.sh 3 --launcher
  done
}

management_scrape() {
  echo "== 1,000,000-row lists with and without a scrape of /observe/metrics every second" >&2
  java -Xmx2g -Dproject.basedir="$PWD" \
    -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)" \
    io.outboundbridge.bench.ScrapeBench "${SCRAPE_ROWS:-1000000}" "${SCRAPE_PAIRS:-2}"
}

classpath="$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)"
if [[ "${BENCH_ONLY:-}" != "management" && "$only" != "scale" ]]; then
  java -Xmx2g -Dproject.basedir="$PWD" -cp "$classpath" io.outboundbridge.bench.BridgeBenchmark "$@"
fi
if [[ "${BENCH_ONLY:-}" != "management" && "$only" != "base" ]]; then
  java -Xmx2g -Dproject.basedir="$PWD" -cp "$classpath" io.outboundbridge.bench.ScaleBenchmark "$@"
fi
if [[ "${BENCH_MANAGEMENT:-1}" != "0" && -z "$only" ]]; then
  management_startup
  management_scrape
fi
