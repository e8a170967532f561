#!/usr/bin/env bash
# The one command that runs the whole pipeline on this machine, without Docker:
# a Kafka broker (KRaft), a ClickHouse process, metering-stream, alerts, usage-sink, reset-scheduler
# and gateway (sandbox AI provider unless OPENAI_API_KEY is set). State lives in --data-dir
# (default .local-run/). Ctrl-C stops everything. Options: ./run-local.sh --help
#
# Script-only options: --rebuild (always build first), --no-build (never build).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build=auto
help=no
test_mode_given=no
args=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) build=always ;;
    --no-build) build=never ;;
    -h|--help) help=yes; args+=("$arg") ;;
    --test-mode|--test-mode=*) test_mode_given=yes; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
# The gateway's test mode (users reset their own credits) is on for this command only,
# unless --test-mode or LOCAL_RUN_TEST_MODE says otherwise; the banner prints which.
if [ "$test_mode_given" = no ] && [ -z "${LOCAL_RUN_TEST_MODE:-}" ]; then
  args+=(--test-mode true)
fi

# 1. A JDK 17 or newer.
if ! command -v java >/dev/null 2>&1; then
  echo "java not found. Install a JDK 17, e.g.: sudo apt-get install -y openjdk-17-jdk-headless" >&2
  exit 1
fi
java_version="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
if [ "${java_version%%.*}" -lt 17 ] 2>/dev/null; then
  echo "Java ${java_version} found; this project needs Java 17 or newer." >&2
  exit 1
fi

# 2. ClickHouse from Debian's packages (run as a plain process with our own config, no service).
if [ ! -x /usr/sbin/clickhouse-server ] && [ "$help" = no ]; then
  echo "Installing ClickHouse from Debian's packages..."
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server clickhouse-client
fi

# 3. Build when a jar is missing or older than the sources.
modules=(metering-stream alerts usage-sink reset-scheduler gateway)
# Under pipefail a missing jar makes ls fail: "|| true" keeps that a "needs a build", not an exit.
launcher_jar() { ls local-stack/target/local-stack-*.jar 2>/dev/null | grep -v -e '-tests.jar' -e '-sources.jar' | head -n 1 || true; }
jars=("$(launcher_jar)")
for module in "${modules[@]}"; do jars+=("$(ls -t "$module"/target/"$module"-*-exec.jar 2>/dev/null | head -n 1 || true)"); done
needs_build=no
for jar in "${jars[@]}"; do [ -n "$jar" ] && [ -f "$jar" ] || needs_build=yes; done
if [ "$needs_build" = no ]; then
  oldest="$(ls -tr "${jars[@]}" | head -n 1)"
  changed="$(find . \( -name target -o -name .local-run -o -name .git \) -prune -o -type f \
      \( -path '*/src/main/*' -o -name pom.xml \) -newer "$oldest" -print -quit)"
  [ -z "$changed" ] || needs_build=yes
fi
if [ "$build" = always ] || { [ "$build" = auto ] && [ "$needs_build" = yes ]; }; then
  if ! command -v javac >/dev/null 2>&1; then
    echo "javac not found: building needs a JDK 17, not only a JRE (sudo apt-get install -y openjdk-17-jdk-headless)" >&2
    exit 1
  fi
  echo "Building (./mvnw -B -q -DskipTests package)..."
  ./mvnw -B -q -DskipTests package
fi
launcher="$(launcher_jar)"
if [ -z "$launcher" ]; then
  echo "local-stack/target/local-stack-<version>.jar is missing; run without --no-build" >&2
  exit 1
fi

if [ "$help" = yes ]; then
  echo "run-local.sh only: --rebuild (always build first), --no-build (never build; default: build when stale)"
  echo "run-local.sh turns the gateway's test mode on (--test-mode true) unless --test-mode or LOCAL_RUN_TEST_MODE is given"
fi

# 4. Run. The Java launcher gets its own session, so Ctrl-C reaches only this script, which asks
#    the launcher (SIGTERM) to stop the apps, ClickHouse and Kafka in order, and waits for it.
launch=(java -cp "${launcher}:local-stack/target/lib/*" io.aicredits.localstack.LocalStack --repo-dir "$ROOT")
if command -v setsid >/dev/null 2>&1; then launch=(setsid "${launch[@]}"); fi
"${launch[@]}" ${args[@]+"${args[@]}"} &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM HUP
status=0
while true; do
  if wait "$pid"; then status=0; else status=$?; fi
  kill -0 "$pid" 2>/dev/null || break
done
exit "$status"
