import { fileCircles, folderCircles, importGraph, migrationImports } from '../../scripts/import-graph.js';

/** The import graph's rules (scripts/import-graph.ts says why each holds). */
describe('the import graph', () => {
  let graph: Record<string, string[]>;
  beforeAll(async () => {
    graph = await importGraph();
  }, 60_000);

  it('reads the app, the contract, the connector and its admin page', () => {
    for (const file of ['index.ts', 'contract/index.ts', 'connector/src/app.ts', 'connector/src/storage/migrations/001_core.ts', 'connector/web/src/App.tsx']) {
      expect(Object.keys(graph)).toContain(file);
    }
    expect(graph['connector/src/app.ts']).toContain('connector/src/delivery/routes.ts');
    expect(graph['connector/src/contact-centre/tickets.ts']).toContain('connector/src/errors.ts');
  });

  it('has no circle between files', () => {
    expect(fileCircles(graph)).toEqual([]);
  });

  it("has no circle between the connector's folders", () => {
    expect(folderCircles(graph)).toEqual([]);
  });

  it('has migrations that import nothing of the application', () => {
    expect(migrationImports(graph)).toEqual([]);
  });
});

describe('the checks', () => {
  it('find a circle between files, and between folders through the files that close it', () => {
    const ring = {
      'connector/src/contact-centre/tickets.ts': ['connector/src/rules/run.ts'],
      'connector/src/rules/run.ts': ['connector/src/contact-centre/scope.ts'],
      'connector/src/contact-centre/scope.ts': ['connector/src/contact-centre/tickets.ts'],
    };
    expect(fileCircles(ring)).toEqual([['connector/src/contact-centre/scope.ts', 'connector/src/contact-centre/tickets.ts', 'connector/src/rules/run.ts']]);
    expect(folderCircles(ring)).toEqual([
      'connector/src/contact-centre/tickets.ts → connector/src/rules/run.ts; connector/src/rules/run.ts → connector/src/contact-centre/scope.ts',
    ]);
  });

  it('find a migration that imports application code, and let it import other migrations', () => {
    const graph = {
      'connector/src/storage/migrations/index.ts': ['connector/src/storage/migrations/005_export.ts'],
      'connector/src/storage/migrations/005_export.ts': ['connector/src/export/conversations.ts'],
    };
    expect(migrationImports(graph)).toEqual(['connector/src/storage/migrations/005_export.ts → connector/src/export/conversations.ts']);
  });
});
