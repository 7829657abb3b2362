// Prepares one package of this repository alone in a folder, for Zapier's CLI or for `npm pack`:
// its built files, a package.json without the repository's tools, and a lockfile that npm prunes
// from the root one, so the package installs exactly the versions tested here and nothing else.
//
//   node scripts/prepare-package.mjs app <dir>        the Zapier app: dist/, package.json,
//                                                     package-lock.json, .zapierapprc when registered
//   node scripts/prepare-package.mjs connector <dir>  the connector: its compiled code (the contract
//                                                     included), the admin page, npm-shrinkwrap.json
//
// Both must be built first (npm run build, npm run build:connector).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** What each package is made of: where its package.json is, what it ships, how its manifest changes. */
const packages = {
  app: {
    manifest: join(root, 'package.json'),
    copy: [
      ['dist', 'dist'],
      ['.zapierapprc', '.zapierapprc', { optional: true }],
    ],
    lockfile: 'package-lock.json',
    // The monorepo's parts go; `overrides` stays (get-intrinsic 1.3.0 keeps the CLI's "Testing build" working).
    strip: ['workspaces', 'devDependencies', 'scripts', 'allowScripts'],
  },
  connector: {
    manifest: join(root, 'connector/package.json'),
    copy: [
      ['connector/dist/connector/src', 'dist/connector/src'],
      ['connector/dist/contract', 'dist/contract'],
      ['connector/web/dist', 'web/dist'],
      ['connector/README.md', 'README.md'],
    ],
    // A shrinkwrap is the lockfile npm honours when the package is installed from its tarball.
    lockfile: 'npm-shrinkwrap.json',
    strip: ['devDependencies', 'scripts'],
    extra: {
      scripts: { start: 'contact-centre-connector serve' },
      files: ['dist', 'web/dist', 'npm-shrinkwrap.json'],
    },
  },
};

function prepare(name, dir) {
  const spec = packages[name];
  if (!spec) throw new Error(`unknown package "${name}" (known: ${Object.keys(packages).join(', ')})`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  for (const [from, to, { optional = false } = {}] of spec.copy) {
    const source = join(root, from);
    if (!existsSync(source)) {
      if (optional) continue;
      throw new Error(`${from} is missing: build it first (npm run build for the app, npm run build:connector for the connector)`);
    }
    cpSync(source, join(dir, to), { recursive: true, filter: (path) => !path.endsWith('.tsbuildinfo') });
  }

  const manifest = readJson(spec.manifest);
  for (const key of spec.strip) delete manifest[key];
  writeJson(join(dir, 'package.json'), { ...manifest, ...spec.extra });

  // Zapier's CLI zips the folder's source into source.zip, leaving out what .gitignore names.
  if (name === 'app') writeFileSync(join(dir, '.gitignore'), 'node_modules/\nbuild/\n');
  writePrunedLockfile(dir);
  if (spec.lockfile !== 'package-lock.json') renameSync(join(dir, 'package-lock.json'), join(dir, spec.lockfile));
}

/**
 * npm itself prunes the root lockfile to this package's dependencies: with the root lockfile and
 * the package's own package.json side by side, `npm install --package-lock-only` keeps every locked
 * version that still satisfies and drops the rest. Nothing may be resolved anew: every package it
 * keeps must be one the root lockfile has, at the same version.
 */
function writePrunedLockfile(dir) {
  const rootLock = readJson(join(root, 'package-lock.json'));
  writeJson(join(dir, 'package-lock.json'), rootLock);
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });

  const locked = new Set(Object.entries(rootLock.packages).map(([path, entry]) => `${packageName(path, entry)}@${entry.version}`));
  const pruned = readJson(join(dir, 'package-lock.json'));
  const resolvedAnew = Object.entries(pruned.packages)
    .filter(([path]) => path !== '')
    .map(([path, entry]) => `${packageName(path, entry)}@${entry.version}`)
    .filter((id) => !locked.has(id));
  if (resolvedAnew.length > 0) {
    throw new Error(`pruning the lockfile resolved packages the root lockfile does not hold: ${resolvedAnew.join(', ')}. Run npm install at the root first.`);
  }
}

const packageName = (path, entry) => entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

const [name, dir] = process.argv.slice(2);
if (!name || !dir) {
  console.error('usage: node scripts/prepare-package.mjs app|connector <dir>');
  process.exit(2);
}
try {
  prepare(name, resolve(dir));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
