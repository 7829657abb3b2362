import App from '../index.js';

type Operation = { key: string; display: { label: string; description: string; hidden?: boolean } };

const rows = (kind: string, operations: Record<string, Operation> = {}) =>
  Object.values(operations)
    .filter((op) => !op.display.hidden)
    .map((op) => `| ${kind} | \`${op.key}\` | ${op.display.label} | ${op.display.description} |`);

/** The README's table of operations, straight from the app definition. */
export function operationsTable(): string {
  const searchOrCreates = Object.values(App.searchOrCreates ?? {}) as unknown as Operation[];
  return [
    '| kind | key | label | what it does |',
    '| --- | --- | --- | --- |',
    ...rows('trigger (instant)', App.triggers as unknown as Record<string, Operation>),
    ...rows('action', App.creates as unknown as Record<string, Operation>),
    ...rows('search', App.searches as unknown as Record<string, Operation>),
    ...searchOrCreates.map((op) => `| search or create | \`${op.key}\` | ${op.display.label} | ${op.display.description} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(operationsTable());
