#!/usr/bin/env bash
# In-process letters benchmark with the heap and cores under test: bash bench/letters.sh [N] [RUNS]
# BENCH_MAIN=TaggingBench: untagged / tagged PDF/UA / PDF/A side by side (bash bench/letters.sh [N] [RUNS] [LAYOUT]).
# Extra JVM options: JAVA_OPTS (e.g. -XX:+FlightRecorder ...); -Dthreads=N -Dchunk=P tune the engine, -Dtagged=false prints untagged.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null 2>&1 \
  || mvn -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
main=${BENCH_MAIN:-LettersBench}; [[ $main == *.* ]] || main=fr.publipostage.bench.$main
exec java -Xmx256m -XX:ActiveProcessorCount=2 ${JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
