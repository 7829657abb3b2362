/**
 * Table types for Kysely. Times are ISO-8601 UTC strings (`toISOString()`), which sort
 * correctly as text on both SQLite and PostgreSQL; JSON columns hold serialised JSON text.
 */
export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ZapierAccountTable {
  app_id: string;
  workspace_id: string;
  name: string;
  /** sha256 of the current App Token (tokens have 256 bits of entropy, so a fast hash is enough). */
  token_hash: string;
  /** Hash of the token before the last regeneration: lets the API say "revoked", not "unknown". */
  previous_token_hash: string | null;
  created_at: string;
  token_regenerated_at: string | null;
  /** Deleted accounts stay as tombstones so their App ID answers "revoked". */
  deleted_at: string | null;
}

export interface SubscriptionTable {
  id: string;
  workspace_id: string;
  app_id: string;
  event: string;
  target_url: string;
  filters: string; // JSON object of filter key → value
  secret: string; // whsec_...
  status: 'active' | 'disabled' | 'ended';
  /** Why it stopped: "unsubscribed", "gone" (410), "failing", "account_deleted", "token_regenerated". */
  ended_reason: string | null;
  created_at: string;
  /** Start of the current run of failures; cleared by any success. */
  failing_since: string | null;
}

export interface EventTable {
  id: string; // also the webhook-id of every delivery of it
  workspace_id: string;
  type: string;
  payload: string; // JSON, exactly what is delivered
  occurred_at: string;
}

export interface DeliveryTable {
  id: string;
  event_id: string;
  subscription_id: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: string;
  /** A worker's claim: until then no other worker takes it; after, it is claimable again. */
  locked_until: string | null;
  locked_by: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** The pacing slot (epoch ms) this delivery was deferred to; it is sent then without taking another. */
  slot_ms: number | null;
}

/** Per target URL: the next free send slot and a 429's pause (delivery/pacing.ts). Epoch milliseconds. */
export interface TargetPaceTable {
  target_url: string;
  next_slot_ms: number;
  paused_until_ms: number;
}

export interface DeliveryAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'gone' | 'failed';
}

export interface CoreTables {
  workspaces: WorkspaceTable;
  zapier_accounts: ZapierAccountTable;
  subscriptions: SubscriptionTable;
  events: EventTable;
  deliveries: DeliveryTable;
  delivery_attempts: DeliveryAttemptTable;
  target_paces: TargetPaceTable;
}

// ---- accounts and operations (migration 003) ----

/** Secrets of the connector itself, by name; only hashes (e.g. "admin_token"). */
export interface InstanceSecretTable {
  name: string;
  value_hash: string;
  created_at: string;
}

/** Fixed-window call counters per App ID, shared by every connector process on one database. */
/** The columns of an email waiting to be sent, shared by the queues mail/mailer.ts sends from. */
export interface QueuedEmailColumns {
  id: string;
  recipient_name: string;
  recipient_email: string | null;
  subject: string | null;
  body: string;
  status: 'pending' | 'sent' | 'failed' | 'recorded';
  attempts: number;
  next_attempt_at: string | null;
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  sent_at: string | null;
}

/** Migration 007: a subscription that stopped on its own (delivery/notices.ts), and its email. */
export interface SubscriptionNoticeTable extends QueuedEmailColumns {
  workspace_id: string;
  app_id: string;
  subscription_id: string;
  event: string;
  target_url: string;
  reason: 'failing' | 'gone';
  detail: string;
  created_at: string;
  dismissed_at: string | null;
}

/** Migration 006: a sliding window per rate-limit bucket (accounts/rate-limit.ts). */
export interface RateLimitTable {
  bucket: string;
  /** JSON object: slot number (epoch ms / slot length) → calls admitted in it, within the last window. */
  slot_counts: string;
  last_at: number;
  admitted: boolean;
}

// ---- the contact centre (migration 002) ----
// Records are kept as their contract document (JSON text, without the link, which depends on
// PUBLIC_BASE_URL), beside the columns that queries filter or sort on.

/** Per-workspace sequences: enquiry case numbers, ticket numbers. */
export interface CounterTable {
  workspace_id: string;
  name: string;
  value: number;
}

export interface StaffTable {
  id: string;
  workspace_id: string;
  first_name: string;
  last_name: string;
  email: string;
  department: string;
  role: 'admin' | 'supervisor' | 'staff';
  created_at: string;
}

export interface RoomTable {
  id: string;
  workspace_id: string;
  name: string;
  member_count: number;
  created_at: string;
}

export interface InstantMessageTable {
  id: string;
  workspace_id: string;
  /** The Zapier account that sent it (null when the simulator or a person did). */
  app_id: string | null;
  recipient_kind: 'staff' | 'room';
  recipient_id: string;
  text: string;
  sent_at: string;
}

export interface TagTable {
  id: string;
  workspace_id: string;
  name: string;
  /** Lower-cased name: tag names are unique per workspace regardless of case. */
  name_key: string;
  color_code: string;
  created_at: string;
  updated_at: string;
}

export interface ServiceNumberTable {
  id: string;
  workspace_id: string;
  service_id: string;
  number: string;
  type: string;
  label: string;
  sms_capable: number; // 0 / 1
  created_at: string;
}

export interface ContactTable {
  id: string;
  workspace_id: string;
  document: string; // contract Contact without `link`
  created_at: string;
  updated_at: string;
}

/** Normalised search keys of a contact: its full name, every email and every phone. */
export interface ContactLookupTable {
  workspace_id: string;
  contact_id: string;
  kind: 'name' | 'email' | 'phone';
  value: string;
}

export interface EnquiryTable {
  id: string;
  workspace_id: string;
  display_case_number: string;
  status: string;
  document: string; // contract Enquiry without `inquiryDeepLink`
  created_at: string;
  updated_at: string;
}

/** LiveChat-style agent groups; ids are small integers per workspace (0 is "General"). */
export interface AgentGroupTable {
  workspace_id: string;
  id: number;
  name: string;
  created_at: string;
}

export interface AgentTable {
  workspace_id: string;
  login: string;
  /** scrypt$<salt>$<hash>, or null when created without a password. */
  password_hash: string | null;
  document: string; // contract Agent
  created_at: string;
}

export interface TicketTable {
  workspace_id: string;
  id: string;
  status: string;
  requester_mail_key: string;
  assignee_login: string | null;
  document: string; // contract Ticket without `link`
  created_at: string;
  modified_at: string;
  /** The newest PUBLIC message (export/conversations.ts decides); kept by every writer of `document` (migration 005). */
  last_message_at: string | null;
}

export interface ChatTable {
  id: string;
  workspace_id: string;
  status: 'active' | 'ended';
  document: string; // contract Chat without `link`
  visitor: string; // contract Visitor
  pre_chat_survey: string; // contract PreChatAnswer[]
  created_at: string;
  /** The newest message (export/conversations.ts decides); kept by every writer of `document` (migration 005). */
  last_message_at: string | null;
}

export interface SmsMessageTable {
  id: string;
  workspace_id: string;
  status: string;
  document: string; // contract SmsMessage
  created_at: string;
}

/** A delivery report the provider will give (or gave): processed by the SMS poller when due. */
export interface SmsStatusReportTable {
  id: string;
  workspace_id: string;
  sms_id: string;
  status: string;
  response_code: string;
  exception: string | null;
  due_at: string;
  processed_at: string | null;
}

/** A secret URL of the conversation export (migration 005): only the secret's sha256 is kept. */
export interface SupportExportUrlTable {
  id: string;
  workspace_id: string;
  name: string;
  secret_hash: string;
  /** The secret's last four characters, for the masked URL the admin list shows. */
  secret_last4: string;
  created_at: string;
  rotated_at: string | null;
  last_used_at: string | null;
}

export interface AccountTables {
  instance_secrets: InstanceSecretTable;
  rate_limits: RateLimitTable;
  subscription_notices: SubscriptionNoticeTable;
  support_export_urls: SupportExportUrlTable;
}

export interface ContactCentreTables {
  counters: CounterTable;
  staff: StaffTable;
  rooms: RoomTable;
  instant_messages: InstantMessageTable;
  tags: TagTable;
  service_numbers: ServiceNumberTable;
  contacts: ContactTable;
  contact_lookups: ContactLookupTable;
  enquiries: EnquiryTable;
  agent_groups: AgentGroupTable;
  agents: AgentTable;
  tickets: TicketTable;
  chats: ChatTable;
  sms_messages: SmsMessageTable;
  sms_status_reports: SmsStatusReportTable;
}

// ---- helpdesk trigger rules (migration 004) ----

/** Agents and requesters under the numeric user ids KF5 rules name (1001, 1002, ...), one per email. */
export interface HelpdeskUserTable {
  workspace_id: string;
  id: number;
  /** Lower-cased email: one user per address, whether agent or requester. */
  email_key: string;
  email: string;
  name: string;
  role: 'agent' | 'enduser';
  organization_id: number | null;
  language: string | null;
  created_at: string;
}

export interface TriggerTable {
  workspace_id: string;
  id: number;
  title: string;
  /** 1 active, 0 not. */
  active: number;
  sort: number;
  conditions: string; // JSON {all, any}
  actions: string; // JSON [...]
  created_at: string;
  updated_at: string;
}

/** A webhook target of the `target` action: it delivers through its own subscription row (see rules/targets.ts). */
export interface TriggerTargetTable {
  workspace_id: string;
  id: number;
  title: string;
  subscription_id: string;
  created_at: string;
  deleted_at: string | null;
}

/** inturn_assign: who in the group got the last ticket. */
export interface TriggerRotationTable {
  workspace_id: string;
  group_id: number;
  last_user_id: number;
}

/** Emails and internal messages the rules queued, in the transaction of the ticket change. */
export interface TriggerNotificationTable extends QueuedEmailColumns {
  workspace_id: string;
  ticket_id: string;
  trigger_id: number;
  kind: 'email' | 'message';
  action: string;
  recipient_user_id: number | null;
  created_at: string;
}

export interface TriggerRuleTables {
  helpdesk_users: HelpdeskUserTable;
  triggers: TriggerTable;
  trigger_targets: TriggerTargetTable;
  trigger_rotations: TriggerRotationTable;
  trigger_notifications: TriggerNotificationTable;
}
