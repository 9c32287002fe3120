#!/usr/bin/env bash
# Builds Okapi, checks formatting and migrations, lints the OpenAPI document, and runs every test against a throwaway
# PostgreSQL.
# Works on a fresh Debian 12 machine (as root) with only the .NET 10 SDK installed.
# Ends with one line: "dotnet: N passed, N failed, N skipped". With CI=true a skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- System packages ------------------------------------------------------------------------------
missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# A web test scrapes Okapi with a real Prometheus server, started by the test on a port of its own; others check
# /metrics with its promtool.
[[ -x /usr/bin/prometheus ]] || missing+=(prometheus)
# A web test builds the container image (deploy/build-image.sh) and reads it back with skopeo.
for tool in mmdebstrap umoci skopeo jq gpg; do command -v "$tool" >/dev/null || missing+=("$tool"); done
# The OpenAPI document is checked with the tools client developers use (Redocly, openapi-typescript), which run on Node.
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  step "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Where the machine runs services, the package starts its own Prometheus on port 9090; the tests need none of it.
  if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    if [[ -d /run/systemd/system ]]; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    elif [[ -x /etc/init.d/prometheus ]]; then
      /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    fi
  fi
fi

# --- Throwaway PostgreSQL -------------------------------------------------------------------------
step "Starting a throwaway PostgreSQL"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d)
chown postgres "$PGDATA"
stop_postgres() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
okapi_pid=
stop_all() {
  if [[ -n "$okapi_pid" ]]; then kill "$okapi_pid" 2>/dev/null || true; fi
  stop_postgres
}
trap stop_all EXIT

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null

# Test classes run side by side, each app with a connection pool of its own (TestDatabase.MaxPoolSize), hence more than
# the default 100 connections.
# A port can be free of listeners and still not bindable (a client connection holds it as its local port), so a
# failed start moves on to the next port.
PGPORT=55432
for attempt in $(seq 1 20); do
  if ! port_taken "$PGPORT" && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c max_connections=200" start >/dev/null; then
    break
  fi
  if ((attempt == 20)); then
    echo "PostgreSQL did not start:"; cat "$PGDATA/log"; exit 1
  fi
  PGPORT=$((PGPORT + 1))
done
export OKAPI_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"

# --- Build and static checks ----------------------------------------------------------------------
step "Restoring tools"
dotnet tool restore

step "Building (Release)"
dotnet build Okapi.slnx -c Release -nologo -v:q -clp:ErrorsOnly

step "Checking formatting"
dotnet format Okapi.slnx --verify-no-changes --no-restore

for context in SqliteOkapiDbContext PostgresOkapiDbContext; do
  step "Checking for a forgotten migration ($context)"
  dotnet ef migrations has-pending-model-changes --project src/Okapi.Data --context "$context" --no-build --configuration Release
done

# --- The OpenAPI document, as client tools read it -------------------------------------------------
step "Linting the OpenAPI document and compiling a TypeScript client generated from it"
mkdir -p test-output tests/openapi/generated
npm ci --prefix tests/openapi --no-audit --no-fund --loglevel=error
okapi_data=$(mktemp -d)
okapi_port=5790
while port_taken "$okapi_port"; do okapi_port=$((okapi_port + 1)); done
# From a folder of its own: the app keeps its SQLite database under ./data.
(cd "$okapi_data" && exec dotnet "$OLDPWD/src/Okapi.Web/bin/Release/net10.0/Okapi.Web.dll" --urls "http://127.0.0.1:$okapi_port") \
  >test-output/openapi-app.log 2>&1 &
okapi_pid=$!
node tests/openapi/fetch-document.mjs "http://127.0.0.1:$okapi_port/openapi/v1.json" test-output/openapi.json
kill "$okapi_pid"; wait "$okapi_pid" 2>/dev/null || true; okapi_pid=
rm -rf "$okapi_data"
tests/openapi/node_modules/.bin/redocly lint --extends recommended test-output/openapi.json
tests/openapi/node_modules/.bin/openapi-typescript test-output/openapi.json -o tests/openapi/generated/okapi.d.ts
tests/openapi/node_modules/.bin/tsc -p tests/openapi/tsconfig.json

# --- Tests ----------------------------------------------------------------------------------------
step "Running tests"
mkdir -p test-output
log=test-output/dotnet-test.log
set +e
# One assembly at a time: the browser tests drive Chromium against a live app and time out when they share two cores
# with the integration tests.
dotnet test Okapi.slnx -c Release --no-build -m:1 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e

# Per assembly, VSTest prints: "Passed!  - Failed:     0, Passed:     6, Skipped:     0, Total: ..."
read -r passed failed skipped < <(
  grep -E '^ *(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
    sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
    awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}'
)

step "Summary"
status=0
if ((test_status != 0)); then echo "dotnet test exited with $test_status"; status=1; fi
if ((failed > 0)); then status=1; fi
if ((passed + failed == 0)); then echo "No tests ran."; status=1; fi
if ((skipped > 0)) && [[ "${CI:-}" == "true" ]]; then echo "Tests were skipped, which CI does not allow."; status=1; fi
echo "dotnet: $passed passed, $failed failed, $skipped skipped"
exit "$status"
