import { readFileSync } from 'node:fs';

/**
 * The app's own package.json, found from this file whether it runs from source (lib/) or
 * from the build (dist/lib/), so the version is declared once, in package.json.
 */
function readPackageJson(): { name: string; version: string } {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8'));
      if (pkg.exports === './dist/index.js') return pkg;
    } catch {
      // not at this level; try the next one up
    }
  }
  throw new Error('package.json of the Zapier app was not found next to lib/ or dist/lib/');
}

export const packageInfo = readPackageJson();
export const userAgent = `${packageInfo.name}/${packageInfo.version} (Zapier)`;
