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

classpath="$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)"
if [[ "$only" != "scale" ]]; then
  java -Xmx2g -Dproject.basedir="$PWD" -cp "$classpath" io.outboundbridge.bench.BridgeBenchmark "$@"
fi
if [[ "$only" != "base" ]]; then
  java -Xmx2g -Dproject.basedir="$PWD" -cp "$classpath" io.outboundbridge.bench.ScaleBenchmark "$@"
fi
