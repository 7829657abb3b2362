import type { Enquiry } from '../../../contract/index.js';
import { ConnectorCallError, ConnectorClient, type ClientCredentials } from './client.js';
import { startHookSink, type HookSink } from './hook-sink.js';

/** A mistake in how the simulator was started (a missing or bad option). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface SimulationOptions extends ClientCredentials {
  /** Actions per second. */
  rate: number;
  /** Stop after this many actions; undefined: run until interrupted. */
  count?: number;
  /** Where progress lines go (console.log by default). */
  print?: (line: string) => void;
  /** Also run a local hook sink subscribed to every event, printing each delivery (see hook-sink.ts). */
  sink?: boolean;
  /** Stops the loop when aborted (Ctrl-C in the CLI). */
  signal?: AbortSignal;
}

/** Options from flags first, then SIMULATE_* variables. */
export function simulationOptionsFrom(
  flags: Partial<Record<'base-url' | 'app-id' | 'app-token' | 'rate' | 'count', string>> & { sink?: boolean },
  env: NodeJS.ProcessEnv,
): SimulationOptions {
  const baseUrl = (flags['base-url'] ?? env.SIMULATE_BASE_URL ?? '').replace(/\/+$/, '');
  const appId = flags['app-id'] ?? env.SIMULATE_APP_ID ?? '';
  const appToken = flags['app-token'] ?? env.SIMULATE_APP_TOKEN ?? '';
  const missing = [
    !baseUrl && '--base-url (or SIMULATE_BASE_URL)',
    !appId && '--app-id (or SIMULATE_APP_ID)',
    !appToken && '--app-token (or SIMULATE_APP_TOKEN)',
  ].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`The simulator needs ${missing.join(', ')}: \`npm start\` prints all three for the demo account.`);
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL such as http://localhost:8080 (got "${baseUrl}").`);
  const rate = Number(flags.rate ?? env.SIMULATE_RATE ?? '1');
  if (!(rate > 0 && rate <= 50))
    throw new UsageError(`--rate must be a number of actions per second between 0 and 50 (got "${flags.rate ?? env.SIMULATE_RATE}").`);
  const countText = flags.count ?? env.SIMULATE_COUNT;
  const count = countText === undefined ? undefined : Number(countText);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new UsageError(`--count must be a whole number above 0 (got "${countText}").`);
  return { baseUrl, appId, appToken, rate, count, sink: flags.sink ?? false };
}

// ---- made-up people and texts ----

const firstNames = ['Mei', 'Tom', 'Priya', 'Kelvin', 'Grace', 'Ahmad', 'Yuki', 'Carlos', 'Siu Ming', 'Hannah', 'Omar', 'Lina'];
const lastNames = ['Chan', 'Ho', 'Singh', 'Yip', 'Lam', 'Rahman', 'Sato', 'Silva', 'Wong', 'Becker', 'Haddad', 'Ng'];
const questions = [
  'My order has not arrived yet.',
  'Can I change my delivery address?',
  'I was charged twice for one order.',
  'Do you have this in a larger size?',
  'How do I reset my password?',
  'Is the shop open on public holidays?',
];
const agentReplies = ['Let me check that for you.', 'I have escalated this to our billing team.', 'It will arrive tomorrow.', 'Done, anything else?'];
const colours = ['#E53935', '#1E88E5', '#43A047', '#FB8C00', '#8E24AA', '#00897B'];
const channels = ['web', 'phone', 'sms', 'whatsapp', 'facebook', 'line', 'wechat', 'email'] as const;
const typeOfChannel = {
  web: 'chat',
  phone: 'call',
  sms: 'message',
  whatsapp: 'message',
  facebook: 'message',
  line: 'message',
  wechat: 'message',
  email: 'message',
} as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const chance = (p: number) => Math.random() < p;
const personName = () => ({ first: pick(firstNames), last: pick(lastNames) });
const emailOf = (first: string, last: string) => `${first}.${last}.${Math.floor(Math.random() * 10000)}@example.com`.toLowerCase().replace(/\s+/g, '');
const phone = () => `+852${Math.floor(50000000 + Math.random() * 49999999)}`;

/** What the simulator remembers between actions, so lifecycles continue (handle what it opened, end what it started). */
interface World {
  staffIds: string[];
  tagIds: string[];
  smsNumbers: { type: 'did' | 'toll_free' | 'mobile' | 'sender_id'; number: string }[];
  agentLogins: string[];
  groupIds: number[];
  openEnquiries: Pick<Enquiry, 'id' | 'status' | 'displayCaseNumber'>[];
  contactIds: string[];
  simulatorTags: string[];
  /** Chats it started and has not ended, with how many messages each has. */
  activeChats: { id: string; messages: number }[];
}

type Action = (client: ConnectorClient, world: World) => Promise<string>;

const openEnquiry: Action = async (client, world) => {
  const channel = pick(channels);
  const { first, last } = personName();
  const toTag = world.tagIds.length > 0 && chance(0.6);
  const enquiry = await client.call('openEnquiry', {
    body: {
      channel,
      type: typeOfChannel[channel],
      destinationType: toTag ? 'tag' : 'staff',
      destinationID: toTag ? pick(world.tagIds) : pick(world.staffIds),
      inquiry: pick(questions),
      visitor: { name: `${first} ${last}`, email: emailOf(first, last) },
    },
  });
  world.openEnquiries.push(enquiry);
  return `enquiry.created   ${enquiry.displayCaseNumber} (${channel}) from ${enquiry.visitorName}`;
};

/** Moves one open enquiry a step: new → handled / missed / closed, handled → closed. */
const progressEnquiry: Action = async (client, world) => {
  const enquiry = world.openEnquiries.shift();
  if (!enquiry) return openEnquiry(client, world);
  if (enquiry.status === 'handled' || chance(0.2)) {
    const closed = await client.call('closeEnquiry', { params: { id: enquiry.id }, body: { closedByType: pick(['staff', 'visitor'] as const) } });
    return `enquiry.closed    ${closed.displayCaseNumber}`;
  }
  if (chance(0.25)) {
    const missed = await client.call('missEnquiry', { params: { id: enquiry.id } });
    return `enquiry.missed    ${missed.displayCaseNumber}`;
  }
  const handled = await client.call('handleEnquiry', { params: { id: enquiry.id }, body: { staffId: pick(world.staffIds) } });
  world.openEnquiries.push(handled);
  return `enquiry.handled   ${handled.displayCaseNumber} by ${handled.handledPartyName}`;
};

const createContact: Action = async (client, world) => {
  const { first, last } = personName();
  const contact = await client.call('createContact', {
    body: {
      first_name: first,
      last_name: last,
      level: pick(['vip', 'gold', 'silver', 'regular'] as const),
      type: pick(['customer', 'prospect', 'partner'] as const),
      email_type: 'work',
      email_address: emailOf(first, last),
      phone_type: 'mobile',
      phone_number: phone(),
    },
  });
  world.contactIds.push(contact.id);
  return `contact.created   ${contact.first_name} ${contact.last_name}`;
};

const updateContact: Action = async (client, world) => {
  if (world.contactIds.length === 0) return createContact(client, world);
  const change = chance(0.5)
    ? { level: pick(['vip', 'gold', 'silver', 'regular'] as const) }
    : { job_title: pick(['Buyer', 'Manager', 'Director', 'Owner']), company: pick(['Harbour Foods', 'Lion City Logistics', 'Kowloon Tech']) };
  const updated = await client.call('updateContact', { params: { id: pick(world.contactIds) }, body: change });
  // Setting a value the contact already had changes nothing, and then no event is recorded.
  return `contact.updated   ${updated.first_name} ${updated.last_name}: ${Object.entries(change)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')} (no event if unchanged)`;
};

const mergeContacts: Action = async (client, world) => {
  if (world.contactIds.length < 2) return createContact(client, world);
  const [target = '', source = ''] = world.contactIds.splice(-2, 2);
  const merged = await client.call('mergeContacts', { params: { id: target }, body: { sourceContactIds: [source] } });
  world.contactIds.push(target);
  return `contact.merged    ${source} into ${merged.fullName}`;
};

const transferContact: Action = async (client, world) => {
  if (world.contactIds.length === 0 || world.staffIds.length < 2) return createContact(client, world);
  const id = pick(world.contactIds);
  const contact = await client.call('getContact', { params: { id } });
  const to = pick(world.staffIds.filter((staffId) => staffId !== contact.ownerID));
  const moved = await client.call('transferContact', { params: { id }, body: { toOwnerID: to } });
  return `contact.ownership_transferred ${moved.fullName}: ${contact.ownerName} → ${moved.ownerName}`;
};

const deleteContact: Action = async (client, world) => {
  const id = world.contactIds.shift();
  if (!id) return createContact(client, world);
  const deleted = await client.call('deleteContact', { params: { id } });
  return `contact.deleted   ${deleted.fullName}`;
};

/** Creates a tag, recolours one of its own, or deletes one of its own (never the workspace's real tags). */
const churnTags: Action = async (client, world) => {
  if (world.simulatorTags.length > 2 || (world.simulatorTags.length > 0 && chance(0.3))) {
    const id = world.simulatorTags.shift() ?? '';
    const deleted = await client.call('deleteTag', { params: { id } });
    world.tagIds = world.tagIds.filter((tagId) => tagId !== id);
    return `tag.deleted       ${deleted.name}`;
  }
  if (world.simulatorTags.length > 0 && chance(0.5)) {
    const updated = await client.call('updateTag', { params: { id: pick(world.simulatorTags) }, body: { colorCode: pick(colours) } });
    return `tag.updated       ${updated.name} → ${updated.colorCode}`;
  }
  const tag = await client.call('createTag', { body: { name: `Campaign ${Math.floor(Math.random() * 100000)}`, colorCode: pick(colours) } });
  world.simulatorTags.push(tag.id);
  world.tagIds.push(tag.id);
  return `tag.created       ${tag.name}`;
};

/** Starts a chat, has an agent or the visitor write in one, or ends one that has had a conversation. */
const chat: Action = async (client, world) => {
  const active = world.activeChats[0];
  if (active && (world.activeChats.length > 2 || chance(0.7))) {
    if (active.messages >= 3 || world.agentLogins.length === 0) {
      world.activeChats.shift();
      const ended = await client.call('endChat', { params: { id: active.id } });
      return `chat.ended        ${ended.id} (${ended.messages.length} messages)`;
    }
    const byAgent = active.messages % 2 === 1;
    await client.call('postChatMessage', {
      params: { id: active.id },
      body: byAgent ? { text: pick(agentReplies), user_type: 'agent', agentLogin: pick(world.agentLogins) } : { text: pick(questions), user_type: 'visitor' },
    });
    active.messages++;
    return `chat message      in ${active.id} (${byAgent ? 'agent' : 'visitor'})`;
  }
  const { first, last } = personName();
  const started = await client.call('startChat', {
    body: {
      visitor: { name: `${first} ${last}`, email: emailOf(first, last), page_current: 'https://shop.example.com/orders' },
      message: pick(questions),
      ...(world.groupIds.length > 0 ? { groupId: pick(world.groupIds) } : {}),
      pre_chat_survey: [{ id: 'q_topic', label: 'What is it about?', answer: pick(['Order', 'Billing', 'Product']) }],
    },
  });
  world.activeChats.push({ id: started.id, messages: 1 });
  return `chat.started      ${started.id}`;
};

const createTicket: Action = async (client) => {
  const { first, last } = personName();
  const ticket = await client.call('createTicket', {
    body: {
      message: pick(questions),
      requester: { mail: emailOf(first, last), name: `${first} ${last}` },
      source: { type: pick(['mail', 'lc2', 'facebook'] as const) },
    },
  });
  return `ticket.created    ${ticket.id}: ${ticket.subject}`;
};

/** One SMS; about one in five goes to a number ending in 0000, which the sandbox fails. */
const sendSms: Action = async (client, world) => {
  const sender = world.smsNumbers[0] && pick(world.smsNumbers);
  if (!sender) return createTicket(client, world);
  const recipient = chance(0.2) ? '+85290000000' : phone();
  const sms = await client.call('sendSms', {
    body: { numberType: sender.type, senderNumber: sender.number, recipientNumber: recipient, text: 'Your parcel is out for delivery today.' },
  });
  return `sms sent          ${sms.id} to ${recipient} (sms.status follows)`;
};

/** How often each action is picked, relative to the others. */
const actions: [Action, number][] = [
  [openEnquiry, 3],
  [progressEnquiry, 3],
  [createContact, 2],
  [updateContact, 2],
  [mergeContacts, 0.5],
  [transferContact, 1],
  [deleteContact, 0.5],
  [churnTags, 1],
  [chat, 2],
  [createTicket, 1],
  [sendSms, 1],
];

function pickAction(): Action {
  let roll = Math.random() * actions.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [action, weight] of actions) {
    roll -= weight;
    if (roll <= 0) return action;
  }
  return openEnquiry;
}

async function loadWorld(client: ConnectorClient): Promise<World> {
  const [staff, tags, numbers, agents, groups] = await Promise.all([
    client.call('listStaff'),
    client.call('listTags'),
    client.call('listNumbers', { query: {} }),
    client.call('listAgents', { query: {} }),
    client.call('listGroups'),
  ]);
  return {
    staffIds: staff.data.map((s) => s.id),
    tagIds: tags.data.map((t) => t.id),
    smsNumbers: numbers.data.filter((n) => n.smsCapable).map((n) => ({ type: n.type, number: n.Number })),
    agentLogins: agents.data.map((a) => a.login),
    groupIds: groups.data.map((g) => g.id),
    openEnquiries: [],
    contactIds: [],
    simulatorTags: [],
    activeChats: [],
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Runs the simulation: one action every 1/rate seconds, until `count` actions or the signal.
 * A refused action is printed and the run goes on (the data may have changed under it).
 */
export async function runSimulation(options: SimulationOptions): Promise<{ done: number; failed: number }> {
  const print = options.print ?? ((line: string) => console.log(line));
  const client = new ConnectorClient(options);
  let signal = options.signal;
  if (!signal) {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    signal = controller.signal;
  }

  const me = await client.call('me');
  const world = await loadWorld(client);
  if (world.staffIds.length === 0) throw new UsageError('The workspace has no staff; start the connector with `npm start` (demo data) first.');
  print(`Simulating ${options.rate} action(s)/s as "${me.account.name}" on ${options.baseUrl} (workspace ${me.workspace.name}); Ctrl-C stops.`);
  const sink = options.sink ? await startSinkFor(client, print) : undefined;
  try {
    const result = await runActions(client, world, options, signal, print);
    // After --count, the last actions' hooks are still on their way: show them before unsubscribing.
    if (sink && !signal.aborted) await sink.settle();
    if (sink) print(`Hook sink: ${sink.received()} deliveries received; unsubscribing.`);
    return result;
  } finally {
    await sink?.close();
  }
}

/** The sink, with a refused subscription (a private target, most likely) turned into the connector's own sentence. */
async function startSinkFor(client: ConnectorClient, print: (line: string) => void): Promise<HookSink> {
  try {
    return await startHookSink(client, print);
  } catch (error) {
    if (error instanceof ConnectorCallError && error.status === 422) throw new UsageError(`The connector refused the local hook sink: ${error.message}`);
    throw error;
  }
}

/** One action every 1/rate seconds, until `count` actions or the signal. */
async function runActions(
  client: ConnectorClient,
  world: World,
  options: SimulationOptions,
  signal: AbortSignal,
  print: (line: string) => void,
): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  while (!signal.aborted && (options.count === undefined || done + failed < options.count)) {
    const started = Date.now();
    try {
      print(await pickAction()(client, world));
      done++;
    } catch (error) {
      failed++;
      if (error instanceof ConnectorCallError && error.status === 401) throw new UsageError(`The connector refused the credentials: ${error.message}`);
      print(`! ${error instanceof Error ? error.message : String(error)}`);
    }
    await sleep(Math.max(0, 1000 / options.rate - (Date.now() - started)), signal);
  }
  print(`Done: ${done} actions, ${failed} refused.`);
  return { done, failed };
}
