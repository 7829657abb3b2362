#!/usr/bin/env bash
# Runs Zapier's own `zapier-platform build` or `push`, unchanged, on a prepared copy of the app alone.
#
#   npm run push                          build, validate (with Zapier's style checks) and upload
#   npm run push -- --snapshot NAME       the same as a snapshot version
#   npm run zapier:build [-- FLAGS]       build/build.zip only (offline: -- --skip-validation)
#
# Why a copy: the CLI copies the whole folder it runs in, node_modules included, opening every
# file at once, and fails with EMFILE (zapier/zapier-platform#820); here node_modules also holds the
# connector's packages and every tool. The copy (build/zapier-app) holds dist/, package.json,
# a package-lock.json pruned to the app's own dependencies and .zapierapprc; the CLI then installs
# those dependencies itself, pinned by that lockfile, tests the build, zips and uploads it.
# It sits inside this checkout so the CLI finds zapier-platform-core installed above it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command=${1:-}
case "$command" in
  build | push) shift ;;
  *) echo "usage: bash scripts/zapier-app.sh build|push [zapier-platform flags]" >&2; exit 2 ;;
esac
if [[ "$command" = push && ! -f .zapierapprc ]]; then
  echo "This checkout is not linked to a Zapier integration (.zapierapprc is missing): run npx zapier-platform login, then npx zapier-platform register \"Contact Centre\" (once), then npm run push again." >&2
  exit 1
fi

stage="$root/build/zapier-app"
trap 'rm -rf "$stage"' EXIT
rm -rf dist
npm run --silent build
node scripts/prepare-package.mjs app "$stage"

(cd "$stage" && "$root/node_modules/.bin/zapier-platform" "$command" "$@")
cp "$stage"/build/*.zip build/
ls -l build/build.zip
