#!/usr/bin/env bash
# Benchmark of issue 3: the packaged service and a naive baseline route, side by side, against the sandbox vendor.
# Builds the jar and the test classes (offline), then runs io.outboundbridge.bench.BridgeBenchmark with the test
# class path. Progress goes to stderr, the table to stdout. Options are passed on, e.g.
#   bench/run.sh --runs=7 --big-rows=200000 --naive-128=false --keep
# Takes about 2.5 to 4 minutes on 2 cores (about 1 of them building).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  echo "== building (mvn -o -q package -DskipTests)" >&2
  mvn -o -q package -DskipTests
  mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
fi

exec java -Xmx2g -Dproject.basedir="$PWD" \
  -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)" \
  io.outboundbridge.bench.BridgeBenchmark "$@"
