/**
 * The admin API is declared once, in the contract's table (contract/routes.ts adminRoutes, with
 * its schemas in contract/admin-api.ts): the connector serves exactly that table, OpenAPI
 * documents it (and connector/test/web/admin-client.test.ts shows the page calls nothing else).
 */
import { adminApi as adminTable, adminRoutes, type AdminEndpointName } from '../../../contract/index.js';
import { startConnector, type TestConnector } from '../support/connector.js';

const names = Object.keys(adminRoutes) as AdminEndpointName[];
const isAdminPath = (path: string) => path.startsWith('/admin/api/') || path.startsWith('/apiv2/');
/** OpenAPI writes `:id` as `{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('the admin API table', () => {
  let connector: TestConnector;
  let doc: { paths: Record<string, Record<string, { operationId?: string; summary?: string; security?: unknown[] }>> };
  beforeAll(async () => {
    connector = await startConnector();
    doc = (await connector.call('/openapi.json', { as: 'none' })).body;
  });
  afterAll(() => connector?.close());

  it('is served and documented in /openapi.json, each endpoint under its name, with the admin token', () => {
    for (const name of names) {
      const { method, path, summary } = adminRoutes[name];
      const operation = doc.paths[openApiPath(path)]?.[method.toLowerCase()];
      expect({ name, operationId: operation?.operationId, summary: operation?.summary }).toEqual({ name, operationId: name, summary });
      expect(operation?.security).toContainEqual({ adminToken: [] });
    }
    expect(Object.keys(adminTable).sort()).toEqual([...names].sort());
  });

  it('is all there is: every admin and KF5 route in /openapi.json comes from it', () => {
    const declared = new Set(names.map((name) => `${adminRoutes[name].method} ${openApiPath(adminRoutes[name].path)}`));
    const served = Object.entries(doc.paths)
      .filter(([path]) => isAdminPath(path))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(served.filter((route) => !declared.has(route))).toEqual([]);
    expect(served).toHaveLength(declared.size);
  });
});
