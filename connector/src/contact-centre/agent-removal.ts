import type { DeletedAgent } from '../../../contract/index.js';
import type { Db } from '../storage/db.js';
import { inTransaction } from '../storage/transactions.js';
import { agentByLogin } from './agents.js';
import { demoteAgent } from './helpdesk-users.js';
import type { Scope } from './scope.js';
import { unassignOpenTickets } from './tickets.js';

/**
 * Removes an agent; the open and pending tickets assigned to them become unassigned (after the
 * agent is gone, so trigger rules running on those tickets cannot hand them back). The agent's
 * user id stays, as an end user's: old tickets and rules still name it.
 */
export async function deleteAgent(db: Db, scope: Scope, login: string): Promise<DeletedAgent> {
  return inTransaction(db, async (trx) => {
    const agent = await agentByLogin(trx, scope, login);
    await trx.deleteFrom('agents').where('workspace_id', '=', scope.workspaceId).where('login', '=', agent.login).execute();
    await demoteAgent(trx, scope, agent.login);
    await unassignOpenTickets(trx, scope, agent.login);
    return { ...agent, deleted: true };
  });
}
