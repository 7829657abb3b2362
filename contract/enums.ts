/**
 * Fixed value lists of the contract, kept free of zod so that the Zapier app can use them at
 * run time without loading the schema library (it costs more to import than the whole app).
 */
export const enquiryStatuses = ['new', 'handled', 'closed', 'missed'] as const;

export const enquiryChannels = ['web', 'phone', 'sms', 'whatsapp', 'facebook', 'line', 'wechat', 'email'] as const;

export const enquiryTypes = ['call', 'chat', 'message'] as const;

export const destinationTypes = ['number', 'tag', 'staff'] as const;

export const phoneTypes = ['mobile', 'work', 'home', 'other'] as const;

export const emailTypes = ['work', 'personal', 'other'] as const;

export const socialMessagingTypes = ['facebook', 'whatsApp', 'weChat', 'line', 'twitter', 'linkedin'] as const;

export const contactLevels = ['vip', 'gold', 'silver', 'regular'] as const;

export const contactTypes = ['customer', 'prospect', 'partner', 'supplier'] as const;

export const numberTypes = ['did', 'toll_free', 'mobile', 'sender_id'] as const;

export const smsStatuses = ['queued', 'sent', 'delivered', 'failed', 'undelivered'] as const;

export const ticketStatuses = ['open', 'pending', 'solved', 'spam'] as const;

export const ticketSourceTypes = ['lc2', 'mail', 'facebook', 'agent-app-manual', 'chat-window'] as const;

export const agentPermissions = ['owner', 'administrator', 'normal'] as const;

export const loginStatuses = ['accepting chats', 'not accepting chats'] as const;

export const agentStatuses = ['accepting chats', 'not accepting chats', 'offline'] as const;

export const eventTypes = [
  'contact.created',
  'contact.updated',
  'contact.merged',
  'contact.ownership_transferred',
  'contact.deleted',
  'enquiry.created',
  'enquiry.handled',
  'enquiry.closed',
  'enquiry.missed',
  'sms.status',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'ticket.created',
  'chat.started',
  'chat.ended',
] as const;

/** The event type of a trigger rule's message to a webhook target (the `target` action); not a Zapier trigger. */
export const TRIGGER_TARGET_EVENT = 'trigger.target';

/** active: delivering; disabled: stopped after failing too long (an admin can re-enable it); ended: unsubscribed or gone (410), for good. */
export const subscriptionStatuses = ['active', 'disabled', 'ended'] as const;

export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'credentials_revoked',
  'forbidden',
  'not_found',
  'conflict',
  'limit_reached',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

/** The CINNOX admin flow allows at most 10 Zapier accounts per workspace. */
export const MAX_ZAPIER_ACCOUNTS = 10;

// ---- KF5 helpdesk fields of a ticket (the KF5 Triggers API seed) ----

/** KF5 ticket statuses by number: 0 new, 1 open, 2 pending, 3 solved, 4 closed. */
export const kf5StatusNames = ['new', 'open', 'pending', 'solved', 'closed'] as const;

/** KF5 ticket types by number (问题, 失误, 故障, 任务). */
export const kf5TypeNames = ['question', 'incident', 'problem', 'task'] as const;

/** KF5 priorities by number (低, 中, 高, 紧急). */
export const kf5PriorityNames = ['low', 'normal', 'high', 'urgent'] as const;

/** Where a KF5 ticket came from (提交来源). */
export const kf5Channels = ['web', 'tab', 'chat', 'weibo', 'api', 'mobile', 'email', 'voicemail', 'inbound', 'outbound'] as const;

/** Requester languages KF5 rules know ({language}). */
export const kf5Languages = ['zh_cn', 'en'] as const;
