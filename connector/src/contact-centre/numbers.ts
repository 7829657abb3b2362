import type { NumberType, ServiceNumber } from '../../../contract/index.js';
import type { z } from 'zod';
import type { Db } from '../storage/db.js';
import type { ServiceNumberTable } from '../storage/schema.js';
import { readPage, type Keyset, type Page, type PageRequest } from './paging.js';
import type { Scope } from './scope.js';

export const toServiceNumber = (row: ServiceNumberTable): ServiceNumber => ({
  id: row.id,
  ServiceID: row.service_id,
  Number: row.number,
  type: row.type as z.infer<typeof NumberType>,
  label: row.label,
  smsCapable: row.sms_capable === 1,
});

const numberOrder: Keyset<ServiceNumberTable> = {
  list: 'numbers',
  columns: [
    { column: 'type', direction: 'asc' },
    { column: 'label', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
};

/** The workspace's service numbers by type and label, optionally of one type (feeds the Sender Number dropdown). */
export async function listNumbers(db: Db, scope: Scope, page: PageRequest, numberType?: z.infer<typeof NumberType>): Promise<Page<ServiceNumber>> {
  let query = db.selectFrom('service_numbers').selectAll().where('workspace_id', '=', scope.workspaceId);
  if (numberType) query = query.where('type', '=', numberType);
  return readPage(query, numberOrder, page, { toItem: toServiceNumber });
}
