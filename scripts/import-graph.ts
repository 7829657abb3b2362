/**
 * The import graph's rules, checked by test/tooling/imports.test.ts (and printed by
 * `npm run check:imports`):
 *
 * - no file imports itself through others (a circle), in the app, the contract, the connector
 *   and its admin page;
 * - no two folders of connector/src import each other, directly or around a ring: each
 *   capability (accounts, delivery, contact-centre, rules, export, ...) builds on those below it,
 *   and what several share lives below them (storage) or at the root of src (errors.ts, ids.ts);
 * - a migration imports nothing of the application: what it needs is copied into it, frozen, so
 *   that changing the application never changes what an old migration does on a new install.
 *
 * Type-only imports count: they tie the code together as much as the others do.
 */
import madge from 'madge';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIGRATIONS = 'connector/src/storage/migrations/';

/** File → the files it imports, for every part of the repository, paths from the root. */
export async function importGraph(): Promise<Record<string, string[]>> {
  const parts: Array<{ paths: string[]; tsConfig: string }> = [
    { paths: ['index.ts', 'authentication.ts', 'triggers', 'creates', 'searches', 'lib', 'contract'], tsConfig: 'tsconfig.json' },
    { paths: ['connector/src'], tsConfig: 'connector/tsconfig.json' },
    { paths: ['connector/web/src'], tsConfig: 'connector/web/tsconfig.json' },
  ];
  const graph: Record<string, string[]> = {};
  for (const { paths, tsConfig } of parts) {
    const result = await madge(paths, { baseDir: ROOT, fileExtensions: ['ts', 'tsx'], tsConfig: `${ROOT}${tsConfig}`, excludeRegExp: [/\.d\.ts$/] });
    Object.assign(graph, result.obj());
  }
  return graph;
}

/** Every circle of imports between files, each as the files around it. */
export function fileCircles(graph: Record<string, string[]>): string[][] {
  return circles(graph);
}

/** The folder of connector/src a file is in, or null for files at its root and anything else. */
const connectorFolder = (file: string) => /^connector\/src\/([^/]+)\//.exec(file)?.[1] ?? null;

/** Folder → the folders it imports from, with one file import that shows each edge. */
export function folderGraph(graph: Record<string, string[]>): Map<string, Map<string, string>> {
  const folders = new Map<string, Map<string, string>>();
  for (const [file, imports] of Object.entries(graph)) {
    const from = connectorFolder(file);
    if (!from) continue;
    const edges = folders.get(from) ?? new Map<string, string>();
    folders.set(from, edges);
    for (const imported of imports) {
      const to = connectorFolder(imported);
      if (to && to !== from && !edges.has(to)) edges.set(to, `${file} → ${imported}`);
    }
  }
  return folders;
}

/** Every circle between connector/src's folders, each told with the file imports that close it. */
export function folderCircles(graph: Record<string, string[]>): string[] {
  const folders = folderGraph(graph);
  const plain = Object.fromEntries([...folders].map(([folder, edges]) => [folder, [...edges.keys()]]));
  return circles(plain).map((ring) => ring.map((folder, i) => folders.get(folder)!.get(ring[(i + 1) % ring.length]!)!).join('; '));
}

/** Imports of a migration that reach outside the migrations folder. */
export function migrationImports(graph: Record<string, string[]>): string[] {
  return Object.entries(graph).flatMap(([file, imports]) =>
    file.startsWith(MIGRATIONS) ? imports.filter((imported) => !imported.startsWith(MIGRATIONS)).map((imported) => `${file} → ${imported}`) : [],
  );
}

/** The elementary circles of a small directed graph (one per strongly connected ring found by depth-first search). */
function circles(graph: Record<string, string[]>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph[node] ?? []) {
      if (state.get(next) === 'open') {
        const ring = path.slice(path.indexOf(next));
        const key = [...ring].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          found.push(ring);
        }
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of Object.keys(graph).sort()) if (!state.has(node)) visit(node);
  return found;
}

// `npm run check:imports`: print what breaks the rules; exit 1 when anything does.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const graph = await importGraph();
  const problems = [
    ...fileCircles(graph).map((ring) => `file circle: ${[...ring, ring[0]].join(' → ')}`),
    ...folderCircles(graph).map((ring) => `folder circle: ${ring}`),
    ...migrationImports(graph).map((edge) => `migration imports application code: ${edge}`),
  ];
  console.log(problems.length === 0 ? `${Object.keys(graph).length} files: no import circles, no folder circles, migrations frozen.` : problems.join('\n'));
  process.exitCode = problems.length === 0 ? 0 : 1;
}
