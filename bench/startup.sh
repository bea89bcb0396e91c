#!/usr/bin/env bash
# Start-up time of the packaged service, the way bench/run.sh measures it (BridgeBenchmark.startup), without the
# rest of the benchmark: N times, fresh folders and a fresh embedded ledger, a small list already waiting in the
# inbox, then `java -Xmx128m -D... -jar target/outbound-bridge.jar run --config config --routes routes`. Prints,
# per start, the time from spawning the process to the logback timestamp of Camel's "started in" line and of
# "Picked up list ..." (the first poll took the list), then the medians and the load average.
#   bench/startup.sh            # 7 starts of target/outbound-bridge.jar (build it first: mvn -o -q package -DskipTests)
#   bench/startup.sh 11 --keep  # 11 starts, keep the temp folder with each start's log
#   bench/startup.sh 5 --jar=/tmp/other.jar   # another build of the jar (e.g. to compare before and after)
#   bench/startup.sh --launcher # bin/outbound-bridge run ... (JAVA_OPTS="-Xmx128m -D..."): the jar with its CDS archive
#   STARTUP_JAVA_OPTS=-Xshare:off bench/startup.sh   # extra JVM options before -jar
#   STARTUP_JAVA_OPTS=-Dcamel.management.enabled=false bench/startup.sh   # without the management endpoint
# The management endpoint is on (as shipped), on any free port.
# Nothing is sent: vendor.base-url points at a closed port; the process is stopped once the list is picked up.
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/.."

runs=7
keep=false
launcher=false
repo="$PWD"
jar="$repo/target/outbound-bridge.jar"
for a in "$@"; do
  case "$a" in
    --keep) keep=true ;;
    --launcher) launcher=true ;;
    --jar=*) jar="$(cd "$caller" && realpath "${a#--jar=}")" ;;
    *) runs="$a" ;;
  esac
done
[[ -f "$jar" ]] || { echo "no $jar (mvn -o -q package -DskipTests)" >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
[[ -x "$java" ]] || java=java

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "$keep" == true ]]; then echo "logs kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

"$java" -jar "$jar" keygen --out "$tmp/keys" >/dev/null 2>&1

# epoch millis of a log line's HH:mm:ss.SSS (today)
stamp() { date -d "$(date +%F) ${1:0:12}" +%s%3N; }

started=()
polled=()
cpus=()
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((k = 0; k < runs; k++)); do
  home="$tmp/run-$k"
  mkdir -p "$home/inbox"
  list="startup-$k.csv"
  { echo "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3"
    for ((i = 1; i <= 10; i++)); do echo "张三$i,老客户,S$k-$i,,1380000$(printf %04d "$i"),本人"; done
  } > "$home/inbox/$list"
  sleep 0.3 # the list is older than the read lock's min age, as in the benchmark; the previous JVM is gone
  log="$home/bridge.log"
  opts="-Xmx128m ${STARTUP_JAVA_OPTS:-} -Dbridge.inbox=$home/inbox -Dbridge.processing=$home/processing \
    -Dbridge.archive=$home/archive -Dbridge.error=$home/error -Dbridge.work=$home/work -Dbridge.data=$home/data \
    -Dbridge.inbox.read-lock-min-age=100 -Dbridge.inbox.read-lock-check-interval=50 -Dbridge.inbox.poll-delay=50 \
    -Dvendor.base-url=http://127.0.0.1:9 -Dvendor.app-id=startup-bench -Dvendor.private-key=$tmp/keys/private-key.pem \
    -Dvendor.read-timeout=3000 -Dcamel.management.port=0"
  spawned=$(date +%s%3N)
  if [[ "$launcher" == true ]]; then
    (cd "$home" && JAVA_OPTS="$opts" exec "$repo/bin/outbound-bridge" run --config "$repo/config" --routes "$repo/routes" \
      > "$log" 2>&1) &
  else
    # shellcheck disable=SC2086 # opts is a list of options (temp paths have no spaces)
    (cd "$home" && exec "$java" $opts -jar "$jar" run --config "$repo/config" --routes "$repo/routes" > "$log" 2>&1) &
  fi
  pid=$!
  deadline=$((spawned + 60000))
  until grep -q "Picked up list $list" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || (($(date +%s%3N) > deadline)); then
      echo "start $k failed:" >&2; tail -40 "$log" >&2; exit 1
    fi
    sleep 0.02
  done
  # CPU (user + system, clock ticks of 10 ms) the JVM used by then: on a busy machine a steadier figure than time
  read -r -a stat < <(sed 's/.*) //' "/proc/$pid/stat")
  cpu=$(( (stat[11] + stat[12]) * 10 ))
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; pid="" # the list in flight is of no interest
  s=$(( $(stamp "$(grep -m1 'started in' "$log")") - spawned ))
  p=$(( $(stamp "$(grep -m1 "Picked up list $list" "$log")") - spawned ))
  started+=("$s"); polled+=("$p"); cpus+=("$cpu")
  printf '  start %d: Camel started %d ms, first poll (list picked up) %d ms after spawn, %d ms CPU\n' "$k" "$s" "$p" \
    "$cpu" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'spawn -> Camel started:           median %s ms  (%s)\n' "$(median "${started[@]}")" "${started[*]}"
printf 'spawn -> first poll (picked up): median %s ms  (%s)\n' "$(median "${polled[@]}")" "${polled[*]}"
printf 'CPU by the first poll:            median %s ms  (%s)\n' "$(median "${cpus[@]}")" "${cpus[*]}"
