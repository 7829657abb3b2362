import { z } from 'zod';
import { agentPermissions, loginStatuses, agentStatuses } from './enums.js';
import { IsoDateTime } from './common.js';
import { Group } from './ticket.js';

/** A LiveChat-style agent. The login is the agent's email and is also its id. */
export const Agent = z.object({
  id: z.email(),
  login: z.email(),
  name: z.string(),
  avatar: z.string().describe('Path of the avatar image'),
  job_title: z.string(),
  login_status: z.enum(loginStatuses),
  permission: z.enum(agentPermissions),
  max_chats_count: z.number().int().min(0).max(20),
  status: z.enum(agentStatuses),
  groups: z.array(Group),
  createdAt: IsoDateTime,
  user_id: z.number().int().positive().describe('The user id trigger rules use for this agent (assignee_id, {current_user}, email_user, ...)'),
});
export type Agent = z.infer<typeof Agent>;

/** The seed's "create agent" parameters and defaults. */
export const CreateAgentBody = z
  .object({
    login: z.email("must be the agent's email address"),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    login_status: z.enum(loginStatuses).default('accepting chats'),
    job_title: z.string().trim().max(200).default('Support Agent'),
    permission: z.enum(agentPermissions).default('normal'),
    password: z.string().min(5, 'must be at least 5 characters').max(200).optional(),
    max_chats_count: z.coerce.number().int().min(0).max(20, 'must be at most 20').default(6),
    groups: z.array(z.number().int().nonnegative()).max(50).optional(),
  })
  .strict();

/** What deleting an agent answers: the agent as it was, marked deleted. */
export const DeletedAgent = Agent.extend({ deleted: z.literal(true) });
export type DeletedAgent = z.infer<typeof DeletedAgent>;

/** Optional filters of List Agents: with none, every agent (the agent dropdown); together they all apply. */
export const FindAgentQuery = z
  .object({
    login: z.string().trim().min(1).max(254),
    name: z.string().trim().min(1).max(200),
    status: z.enum(agentStatuses),
    permission: z.enum(agentPermissions),
    groupId: z.coerce.number().int().nonnegative().describe('Agents in this group'),
  })
  .partial();
