#!/usr/bin/env bash
# Builds build/build.zip from a staging copy that holds only the app and its production
# dependencies (exact versions, from this checkout's node_modules, no network).
# Why not plain `zapier-platform build`: it copies the whole project, node_modules included,
# and fails with EMFILE here; with --skip-dep-install in place it zips the package.json of
# every installed package (dev tools and the connector's too), which doubles the zip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

npm run --silent build
cp -r dist package.json "$stage/"
[[ -f .zapierapprc ]] && cp .zapierapprc "$stage/"
# The staged package.json is the app's alone: no workspace, no dev tools, no build hook.
node -e '
  const fs = require("fs"), file = process.argv[1], pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const key of ["workspaces", "devDependencies", "scripts", "overrides", "allowScripts"]) delete pkg[key];
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");' "$stage/package.json"
npm ls --omit=dev --all --parseable --workspaces=false | tail -n +2 | while read -r dir; do
  rel=${dir#"$root"/}
  mkdir -p "$stage/$(dirname "$rel")"
  cp -r "$dir" "$stage/$rel"
done

(cd "$stage" && "$root/node_modules/.bin/zapier-platform" build --skip-validation --skip-dep-install "$@")
mkdir -p build
cp "$stage"/build/*.zip build/
ls -l build/*.zip
