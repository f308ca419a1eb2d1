#!/usr/bin/env bash
# The quick start as a stranger uses it: every package packed (`pnpm pack`), the tarballs
# installed with plain `npm install` into a copy of examples/quickstart outside the workspace
# (npm `overrides` point every @koa-auth/* name at its tarball: nothing of ours comes from the
# registry), type-checked (strict, no skipLibCheck), then `npx koa-auth migrate`,
# `npx koa-auth createsuperuser --noinput …`, the server, and the client, which must print the
# superuser's name. Also checks that the README's quick-start blocks are those files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PNPM="npx -y pnpm@10"

node .ci/check-quickstart-readme.mjs

WORK=$(mktemp -d /tmp/koa-auth-quickstart.XXXXXX)
SERVER_PID=""
cleanup() {
  # The server runs in a session of its own: end npm, tsx and node together.
  if [ -n "$SERVER_PID" ]; then kill -- "-$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# KEEP_QUICKSTART=1 keeps the folder for a look after a failure.
[ -n "${KEEP_QUICKSTART:-}" ] && trap - EXIT

# pack runs a package's prepack when it has one; otherwise its dist/ must be built first.
if ! node -e 'const fs=require("fs");process.exit(fs.readdirSync("packages").every((p)=>JSON.parse(fs.readFileSync(`packages/${p}/package.json`)).scripts?.prepack)?0:1)'; then
  $PNPM -r --filter "./packages/*" run build
fi
mkdir -p "$WORK/tarballs"
for dir in packages/*/; do
  (cd "$dir" && $PNPM pack --pack-destination "$WORK/tarballs" >/dev/null)
done
ls "$WORK/tarballs"

mkdir -p "$WORK/app"
for file in examples/quickstart/*; do
  [ -f "$file" ] && cp "$file" "$WORK/app/"
done
# Dependencies and overrides name the same file: spec (npm refuses an override that conflicts
# with a direct dependency's own spec).
node - "$WORK" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const work = process.argv[2];
const file = path.join(work, 'app/package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.overrides = {};
for (const tarball of fs.readdirSync(path.join(work, 'tarballs'))) {
  const name = '@koa-auth/' + tarball.replace(/^koa-auth-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
  const spec = `file:../tarballs/${tarball}`;
  pkg.overrides[name] = spec;
  if (pkg.dependencies[name]) pkg.dependencies[name] = spec;
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('overrides:', JSON.stringify(pkg.overrides));
NODE

cd "$WORK/app"
npm install --no-audit --no-fund --loglevel=error
# (@koa-auth/cli names it as an optional peer: listed by npm ls, never installed.)
if [ -e node_modules/@koa-auth/wechat ]; then
  echo "quickstart: @koa-auth/wechat was installed; the quick start must not need it" >&2
  exit 1
fi
npx tsc -p tsconfig.json
echo "quickstart: type-check passed (strict, no skipLibCheck)"

export SECRET_KEY="quickstart-ci-$(node -p 'crypto.randomBytes(24).toString("base64url")')"
export KOA_AUTH_SUPERUSER_PASSWORD="Quick-Start-Horse-42"
npx koa-auth migrate
npx koa-auth createsuperuser --noinput --username admin --email admin@example.com

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$PORT setsid npm start >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  grep -q "Listening on" "$WORK/server.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "quickstart: the server stopped" >&2; exit 1; }
  sleep 1
done
grep -q "Listening on" "$WORK/server.log" || { cat "$WORK/server.log" >&2; echo "quickstart: the server did not start" >&2; exit 1; }

OUTPUT=$(AUTH_URL="http://localhost:$PORT" KOA_AUTH_USER=admin KOA_AUTH_PASSWORD="$KOA_AUTH_SUPERUSER_PASSWORD" npm run --silent client)
echo "client printed: $OUTPUT"
if [ "$OUTPUT" != "admin" ]; then
  cat "$WORK/server.log" >&2
  echo "quickstart: the client should print 'admin'" >&2
  exit 1
fi
echo "quickstart: OK"
