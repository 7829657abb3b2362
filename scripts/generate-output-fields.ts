import { writeFileSync } from 'node:fs';
import { renderOutputFieldsModule } from './output-fields.js';

const target = new URL('../lib/generated/output-fields.ts', import.meta.url);
writeFileSync(target, renderOutputFieldsModule());
console.log(`wrote ${target.pathname}`);
