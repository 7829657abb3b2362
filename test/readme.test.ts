import { readFileSync } from 'node:fs';
import { operationsTable } from '../scripts/operations-table.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists exactly the operations the app defines', () => {
    const section = readme.split('<!-- operations:start')[1]?.split('<!-- operations:end -->')[0] ?? '';
    expect(section.slice(section.indexOf('\n') + 1).trim()).toBe(operationsTable());
  });

  it('starts with the install-and-start command and the test command', () => {
    const firstBlock = readme.split('```bash\n')[1]?.split('```')[0] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm start\b/m);
    expect(firstBlock).toMatch(/^npm ci && npm run test:all\b/m);
  });
});
