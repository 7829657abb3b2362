#!/usr/bin/env bash
# Packs the connector for a production install: build/contact-centre-connector-<version>.tgz holds
# its compiled code (the contract included), the built admin page and an npm-shrinkwrap.json
# pruned from this repository's lockfile, so an install gets exactly the run-time dependencies
# tested here (Node 22 among them) and nothing else: no jest, Zapier CLI, Vite or Playwright.
#
#   npm run connector:pack
#   # on the server, in an empty folder:
#   npm install --omit=dev /path/to/contact-centre-connector-1.0.0.tgz && npx contact-centre-connector serve
set -euo pipefail
cd "$(dirname "$0")/.."

stage=build/connector-package
trap 'rm -rf "$stage"' EXIT
rm -rf connector/dist   # no compiled leftovers of deleted sources in the package
npm run --silent build:connector
node scripts/prepare-package.mjs connector "$stage"
npm pack --silent --pack-destination build "./$stage" >/dev/null
ls -l build/contact-centre-connector-*.tgz
