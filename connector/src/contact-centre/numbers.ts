import type { NumberType, ServiceNumber } from '../../../contract/index.js';
import type { z } from 'zod';
import type { Db } from '../storage/db.js';
import type { ServiceNumberTable } from '../storage/schema.js';
import type { Scope } from './scope.js';

export const toServiceNumber = (row: ServiceNumberTable): ServiceNumber => ({
  id: row.id,
  ServiceID: row.service_id,
  Number: row.number,
  type: row.type as z.infer<typeof NumberType>,
  label: row.label,
  smsCapable: row.sms_capable === 1,
});

/** The workspace's service numbers, optionally of one type (feeds the Sender Number dropdown). */
export async function listNumbers(db: Db, scope: Scope, numberType?: z.infer<typeof NumberType>): Promise<ServiceNumber[]> {
  let query = db.selectFrom('service_numbers').selectAll().where('workspace_id', '=', scope.workspaceId);
  if (numberType) query = query.where('type', '=', numberType);
  const rows = await query.orderBy('type').orderBy('label').execute();
  return rows.map(toServiceNumber);
}
