import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Sets `name=value` lines in an env file (the `.env` that `zapier-platform invoke` reads):
 * lines already setting a name are replaced in place, a missing one appended, every other line
 * kept. The file holds a token, so it is readable by its owner only.
 */
export function updateEnvFile(path: string, values: Record<string, string>): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8').replace(/\n$/, '') : '';
  const lines = text === '' ? [] : text.split('\n');
  const written = new Set<string>();
  const updated = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !Object.hasOwn(values, name)) return line;
    written.add(name); // every line setting it: with two, the later one would win
    return `${name}=${values[name]}`;
  });
  for (const [name, value] of Object.entries(values)) if (!written.has(name)) updated.push(`${name}=${value}`);
  writeFileSync(path, `${updated.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
