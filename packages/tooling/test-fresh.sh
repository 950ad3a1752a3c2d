#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs them.
#
#   bash packages/tooling/test-fresh.sh                 set up, `pnpm install --frozen-lockfile`, `pnpm test`
#   bash packages/tooling/test-fresh.sh --setup-only    set up only (`pnpm run test:setup`)
#   bash packages/tooling/test-fresh.sh --dry-run       say what it would do, change nothing
#
# Set-up, each step said on stdout, with what it could not do:
#   1. Node.js 20.19+ (checked; it cannot be installed from here), and Node 22 and 24 from the npm
#      registry into .tmp/node22 and .tmp/node24 for the runtime tests (node:sqlite among them);
#   2. pnpm 10 (`npm i -g pnpm@10`, else into ~/.local when the global folder is not writable);
#   3. the Debian tools the tests use as independent verifiers and producers (qpdf, poppler-utils,
#      ghostscript, img2pdf, mupdf-tools, unzip, zip, openssl, libnss3-tools for pdfsig's trust store, tesseract-ocr and tesseract-ocr-fra to read the signing screen back, softhsm2 and opensc for the PKCS#11 seal key tests) and Chromium for the browser tests,
#      installed with apt-get when it runs as root or with `sudo -n`;
#   4. PostgreSQL at S3404_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test):
#      the local cluster on that port started when it is down, the database created when missing;
#   5. Redis at S3404_TEST_REDIS_URL (default redis://127.0.0.1:6379): a throw-away local server
#      (no persistence) started on that port when none answers.
# Deno and Bun (the runtime tests, X-1) are npm dev dependencies: `pnpm install` brings them.
# Services are only started, never stopped or restarted. Exit 1 when something the tests need
# is still missing after the set-up (the tests are then not run), else the exit code of the tests.
#
# Environment: S3404_TEST_POSTGRES_URL, S3404_TEST_REDIS_URL (where the tests find the services),
# CHROMIUM_PATH (default /usr/bin/chromium), S3404_REQUIRE_BROWSER=1 (CI: a missing browser, or
# Node 22 or 24, is an error instead of a skipped test).
set -euo pipefail
cd "$(dirname "$0")/../.."

DRY_RUN=0
SETUP_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    --setup-only) SETUP_ONLY=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-fresh.sh: unknown option $arg (--setup-only, --dry-run, --help)" >&2; exit 2 ;;
  esac
done

PG_URL="${S3404_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
REDIS_URL="${S3404_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
BLOCKERS=() # what the tests need and the set-up could not provide
NOTES=()    # what it could not do but the tests survive

say() { printf '[s3404 set-up] %s\n' "$*"; }
step() { printf '\n[s3404 set-up] == %s\n' "$*"; }
blocker() { say "CANNOT: $*"; BLOCKERS+=("$*"); }
note() { say "note: $*"; NOTES+=("$*"); }
have() { command -v "$1" >/dev/null 2>&1; }
# Runs a command that changes the machine, or says it would.
act() {
  local shown
  shown="$(printf '%q ' "$@")"
  if [ "$DRY_RUN" = 1 ]; then say "would run: ${shown% }"; return 0; fi
  say "running: ${shown% }"
  "$@"
}

# Root: as root, or through passwordless sudo; otherwise the steps that need it are skipped and said.
if [ "$(id -u)" = 0 ]; then
  ROOT=(); ROOT_HOW="running as root"
elif have sudo && sudo -n true 2>/dev/null; then
  ROOT=(sudo -n); ROOT_HOW="root through passwordless sudo"
else
  ROOT=(none); ROOT_HOW="no root (not root, no passwordless sudo): nothing will be installed with apt-get"
fi
can_root() { [ "${ROOT[0]:-}" != none ]; }
as_root() { act "${ROOT[@]}" "$@"; }

# host port user database of a URL (Node parses it; the default port when it has none).
url_parts() { node -e 'const u = new URL(process.argv[1]); console.log([u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", u.port || process.argv[2], decodeURIComponent(u.username) || "-", decodeURIComponent(u.pathname.slice(1)) || "-"].join(" "))' "$1" "$2"; }
is_local() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac; }
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

say "s3404 test set-up — $(if [ "$DRY_RUN" = 1 ]; then echo 'dry run: nothing is changed'; else echo 'installs and starts only what is missing'; fi); $ROOT_HOW"

# 1. Node.js ---------------------------------------------------------------------------------
step "1/5 Node.js"
if ! have node; then
  blocker "Node.js is not installed: install Node.js 20.19+ (https://nodejs.org), then run this again"
  say "stopping here: every other step needs Node.js"
  exit 1
fi
NODE_VERSION="$(node --version)"
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  say "Node.js $NODE_VERSION: ok (needs 20.19+)"
else
  blocker "Node.js $NODE_VERSION is too old: the SDK needs 20.19+ (22 and 24 work too)"
fi
# Node 22 and 24 beside it, for the runtime tests on a vendor's newer Node and on Node's own SQLite
# (node:sqlite, X-1): the `node` package of the npm registry, into .tmp/node22 and .tmp/node24 (not
# on PATH; the tests find them there).
for major in 22 24; do
  other=".tmp/node$major/node_modules/.bin/node"
  install=(npm i --no-save --no-package-lock --no-audit --no-fund --prefix ".tmp/node$major" "node@$major")
  log="${TMPDIR:-/tmp}/s3404-node$major.log"
  if [ -x "$other" ] && "$other" -e "process.exit(process.versions.node.split('.')[0] === '$major' ? 0 : 1)" 2>/dev/null; then
    say "Node.js $("$other" --version) for the runtime tests: ok ($other)"
  elif [ "$DRY_RUN" = 1 ]; then
    say "would run: ${install[*]}"
  elif say "running: ${install[*]}" && "${install[@]}" >"$log" 2>&1 && [ -x "$other" ]; then
    say "Node.js $("$other" --version) installed for the runtime tests ($other)"
  elif [ "${S3404_REQUIRE_BROWSER:-}" = 1 ]; then
    blocker "could not install Node $major from npm (${install[*]}; see $log) and S3404_REQUIRE_BROWSER=1"
  else
    note "could not install Node $major from npm (see $log): the Node $major runtime tests will be skipped"
  fi
done

# 2. pnpm 10 ---------------------------------------------------------------------------------
step "2/5 pnpm 10"
pnpm_major() { pnpm --version 2>/dev/null | cut -d. -f1; }
if have pnpm && [ "$(pnpm_major)" = 10 ]; then
  say "pnpm $(pnpm --version): ok"
else
  blockers_before=${#BLOCKERS[@]}
  if have pnpm; then say "pnpm $(pnpm --version 2>/dev/null || echo '?') found, pnpm 10 needed"; else say "pnpm not found"; fi
  if ! have npm; then
    blocker "npm is not installed, so pnpm cannot be: install npm (it comes with Node.js) or pnpm 10"
  elif act npm i -g pnpm@10 2>"${TMPDIR:-/tmp}/s3404-npm-pnpm.log"; then
    hash -r
  else
    # The global folder is not writable (no root): a user-level install, on PATH for this run.
    say "the global install failed ($(grep -m1 -o 'EACCES\|code [A-Z0-9_]*' "${TMPDIR:-/tmp}/s3404-npm-pnpm.log" || echo "see ${TMPDIR:-/tmp}/s3404-npm-pnpm.log")); installing pnpm 10 into $HOME/.local instead"
    if act npm i -g --prefix "$HOME/.local" pnpm@10; then
      export PATH="$HOME/.local/bin:$PATH"
      hash -r
      note "pnpm was installed into $HOME/.local/bin: add it to your PATH to use pnpm after this script"
    else
      blocker "could not install pnpm 10 (npm i -g pnpm@10 failed): install it and run this again"
    fi
  fi
  if [ "$DRY_RUN" = 0 ] && [ ${#BLOCKERS[@]} -eq "$blockers_before" ]; then
    if have pnpm && [ "$(pnpm_major)" = 10 ]; then
      say "pnpm $(pnpm --version): ok"
    else
      blocker "pnpm 10 was installed but is not the pnpm on PATH ($(command -v pnpm || echo 'none')): put $(npm prefix -g 2>/dev/null)/bin first on PATH"
    fi
  fi
fi

# 3. Debian tools ----------------------------------------------------------------------------
step "3/5 test tools (Debian packages) and Chromium"
# command that proves the package is there → Debian package (the same detection as check-tools.mjs).
TOOLS=(qpdf:qpdf pdftotext:poppler-utils gs:ghostscript img2pdf:img2pdf mutool:mupdf-tools unzip:unzip zip:zip openssl:openssl certutil:libnss3-tools tesseract:tesseract-ocr softhsm2-util:softhsm2 pkcs11-tool:opensc)
missing_packages() {
  local t
  for t in "${TOOLS[@]}"; do have "${t%%:*}" || printf '%s ' "${t#*:}"; done
  # tesseract reads the French signing screen: its French model is a package of its own.
  compgen -G '/usr/share/tesseract-ocr/*/tessdata/fra.traineddata' >/dev/null || printf '%s ' tesseract-ocr-fra
  [ -x "$CHROMIUM" ] || printf '%s ' chromium
}
read -r -a MISSING <<<"$(missing_packages)"
if [ ${#MISSING[@]} -eq 0 ]; then
  say "all present: qpdf, poppler-utils, ghostscript, img2pdf, mupdf-tools, unzip, zip, openssl, libnss3-tools, tesseract-ocr (+fra), softhsm2, opensc, chromium ($CHROMIUM)"
else
  say "missing: ${MISSING[*]}"
  if ! have apt-get; then
    say "no apt-get on this machine: install the equivalents of ${MISSING[*]} with your package manager"
  elif ! can_root; then
    say "cannot install them without root; as root run: apt-get install -y ${MISSING[*]}"
  else
    export DEBIAN_FRONTEND=noninteractive
    if ! as_root apt-get install -y -qq "${MISSING[@]}"; then
      say "apt-get install failed; refreshing the package lists and trying again"
      as_root apt-get update -qq && as_root apt-get install -y -qq "${MISSING[@]}" || say "apt-get could not install ${MISSING[*]}"
    fi
  fi
  if [ "$DRY_RUN" = 0 ]; then
    read -r -a MISSING <<<"$(missing_packages)"
    STILL=()
    for pkg in "${MISSING[@]}"; do
      if [ "$pkg" != chromium ]; then
        STILL+=("$pkg")
      elif [ "${S3404_REQUIRE_BROWSER:-}" = 1 ]; then
        blocker "no browser at $CHROMIUM and S3404_REQUIRE_BROWSER=1: install chromium or set CHROMIUM_PATH"
      else
        note "no browser at $CHROMIUM: the browser tests (X-1) will be skipped (install chromium or set CHROMIUM_PATH)"
      fi
    done
    if [ ${#STILL[@]} -gt 0 ]; then blocker "the tests need the Debian packages ${STILL[*]} (as root: apt-get install -y ${STILL[*]})"; fi
    if [ ${#MISSING[@]} -eq 0 ]; then say "all present now"; fi
  fi
fi

# 4. PostgreSQL ------------------------------------------------------------------------------
step "4/5 PostgreSQL ($PG_URL)"
read -r PG_HOST PG_PORT PG_USER PG_DB <<<"$(url_parts "$PG_URL" 5432)"
pg_answers() {
  if have pg_isready; then pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; else tcp_open "$PG_HOST" "$PG_PORT"; fi
}
# The cluster configured on the URL's port (pg_lsclusters); without pg_lsclusters, the first
# version's main cluster for the default port.
pg_cluster() {
  if have pg_lsclusters; then
    pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
  elif [ "$PG_PORT" = 5432 ] && [ -d /etc/postgresql ]; then
    echo "$(ls /etc/postgresql | head -n1) main"
  fi
}
if pg_answers; then
  say "PostgreSQL answers on $PG_HOST:$PG_PORT"
elif ! is_local "$PG_HOST"; then
  blocker "PostgreSQL does not answer on $PG_HOST:$PG_PORT, which is not this machine: start it, or set S3404_TEST_POSTGRES_URL"
elif ! have pg_ctlcluster; then
  blocker "PostgreSQL does not answer on $PG_HOST:$PG_PORT and is not installed (no pg_ctlcluster): install postgresql (apt-get install -y postgresql), allow postgres@127.0.0.1 without password in pg_hba.conf, or set S3404_TEST_POSTGRES_URL"
elif [ -z "$(pg_cluster)" ]; then
  blocker "PostgreSQL does not answer on $PG_HOST:$PG_PORT and no cluster of this machine is set up on that port (pg_lsclusters): create one, or set S3404_TEST_POSTGRES_URL"
else
  read -r PG_VERSION PG_CLUSTER <<<"$(pg_cluster)"
  say "PostgreSQL does not answer on $PG_HOST:$PG_PORT: starting cluster $PG_VERSION/$PG_CLUSTER"
  started=0
  if can_root; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start && started=1
  else
    # Without root it works only for the cluster's owner.
    act pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start && started=1
  fi
  if [ "$DRY_RUN" = 1 ]; then
    :
  elif [ "$started" = 0 ]; then
    blocker "could not start PostgreSQL (needs root or the postgres user): pg_ctlcluster --skip-systemctl-redirect $PG_VERSION $PG_CLUSTER start"
  else
    for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
    if pg_answers; then say "PostgreSQL answers on $PG_HOST:$PG_PORT"; else blocker "PostgreSQL was started but does not answer on $PG_HOST:$PG_PORT after 30 s (see /var/log/postgresql/)"; fi
  fi
fi
# The database of the URL, created when missing.
if ! pg_answers; then
  if [ "$DRY_RUN" = 1 ] && [ -n "${PG_CLUSTER:-}" ]; then say "would then check that database \"$PG_DB\" exists, and create it if not"; fi
elif ! have psql; then
  note "no psql here to check that database \"$PG_DB\" exists (the store tests need it)"
elif out="$(PGCONNECT_TIMEOUT=5 psql "$PG_URL" -tAc 'select 1' 2>&1)"; then
  say "database \"$PG_DB\" accepts connections as ${PG_USER}: ok"
elif [[ "$out" == *"does not exist"* && "$out" == *"database"* ]]; then
  say "database \"$PG_DB\" does not exist: creating it"
  ADMIN_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/postgres"; console.log(u.href)' "$PG_URL")"
  if act psql "$ADMIN_URL" -qc "create database \"$PG_DB\""; then
    :
  elif can_root && is_local "$PG_HOST" && have runuser; then
    as_root runuser -u postgres -- createdb -p "$PG_PORT" "$PG_DB" || blocker "could not create database \"$PG_DB\""
  else
    blocker "could not create database \"$PG_DB\": createdb -h $PG_HOST -p $PG_PORT $PG_DB as a PostgreSQL superuser"
  fi
  if [ "$DRY_RUN" = 1 ]; then
    :
  elif out="$(PGCONNECT_TIMEOUT=5 psql "$PG_URL" -tAc 'select 1' 2>&1)"; then
    say "database \"$PG_DB\" accepts connections as ${PG_USER}: ok"
  else
    blocker "PostgreSQL refuses $PG_URL after the database was created: ${out//$'\n'/ }"
  fi
else
  blocker "PostgreSQL refuses $PG_URL: ${out//$'\n'/ } (the tests connect without a password: trust 127.0.0.1 in pg_hba.conf, or set S3404_TEST_POSTGRES_URL)"
fi

# 5. Redis -----------------------------------------------------------------------------------
step "5/5 Redis ($REDIS_URL)"
read -r REDIS_HOST REDIS_PORT _ _ <<<"$(url_parts "$REDIS_URL" 6379)"
redis_answers() {
  if have redis-cli; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 line <&3 && [ "${line%$'\r'}" = +PONG ]) 2>/dev/null
  fi
}
if redis_answers; then
  say "Redis answers on $REDIS_HOST:$REDIS_PORT (PONG)"
elif ! is_local "$REDIS_HOST"; then
  blocker "Redis does not answer on $REDIS_HOST:$REDIS_PORT, which is not this machine: start it, or set S3404_TEST_REDIS_URL"
elif ! have redis-server; then
  blocker "Redis does not answer on $REDIS_HOST:$REDIS_PORT and is not installed: apt-get install -y redis-server, or set S3404_TEST_REDIS_URL"
else
  say "Redis does not answer on $REDIS_HOST:$REDIS_PORT: starting a local server for the tests (loopback only, no persistence)"
  if act redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no; then
    if [ "$DRY_RUN" = 0 ]; then
      for _ in $(seq 1 20); do redis_answers && break; sleep 0.5; done
      if redis_answers; then say "Redis answers on $REDIS_HOST:$REDIS_PORT (PONG)"; else blocker "Redis was started but does not answer on $REDIS_HOST:$REDIS_PORT after 10 s"; fi
    fi
  else
    blocker "could not start Redis: redis-server --daemonize yes --bind 127.0.0.1 --port $REDIS_PORT"
  fi
fi

# Summary ------------------------------------------------------------------------------------
step "summary"
for n in "${NOTES[@]}"; do say "note: $n"; done
if [ ${#BLOCKERS[@]} -gt 0 ]; then
  say "the tests cannot pass on this machine yet:"
  for b in "${BLOCKERS[@]}"; do say "  - $b"; done
  [ "$DRY_RUN" = 1 ] || exit 1
fi
if [ "$DRY_RUN" = 1 ]; then
  say "dry run: nothing was changed"
  [ "$SETUP_ONLY" = 1 ] || { say "would run: pnpm install --frozen-lockfile"; say "would run: pnpm test"; }
  exit 0
fi
say "set-up done: Node.js $NODE_VERSION, pnpm $(pnpm --version), test tools, PostgreSQL $PG_HOST:$PG_PORT/$PG_DB, Redis $REDIS_HOST:$REDIS_PORT"
[ "$SETUP_ONLY" = 1 ] && exit 0

step "pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile
step "pnpm test"
exec pnpm test
