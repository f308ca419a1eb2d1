#!/usr/bin/env bash
# Packaging checks: pack every package, publint + @arethetypeswrong/cli on each tarball, then a
# consumer outside the workspace (npm install from the tarballs, strict tsc without
# skipLibCheck, require() from CommonJS, import from ESM). See test/packaging/check-packages.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
node test/packaging/check-packages.mjs
