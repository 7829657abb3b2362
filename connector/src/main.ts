import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp } from './app.js';
import { resolveAdminToken } from './accounts/admin-token.js';
import { createSmsReportPoller } from './contact-centre/sms.js';
import type { Scope } from './contact-centre/scope.js';
import { releaseAllClaims } from './delivery/store.js';
import { createDeliveryWorker } from './delivery/worker.js';
import { createMailer } from './mail/mailer.js';
import { runCheckCommand } from './export/check-command.js';
import { demoAccountCredentials, demoCredentialsFile, type DemoCredentials } from './demo/credentials.js';
import { updateEnvFile } from './demo/env-file.js';
import { seedDemoWorkspace, workspaceIsEmpty } from './demo/seed.js';
import { runSimulation, simulationOptionsFrom, UsageError } from './demo/simulate.js';
import type { ConnectorDeps } from './deps.js';
import { assertPortFree, explainListenError, PortInUseError } from './port.js';
import { SettingsError, settingsFromEnv, type Settings } from './settings.js';
import { openStorage } from './storage/db.js';
import { ensureWorkspace } from './workspace.js';

const USAGE = `Usage: contact-centre-connector <command> [options]   (in this repository: npm run connector -- <command>)

Commands:
  serve        Start the connector (HTTP API, webhook delivery, SMS reports). The default.
  demo         Like serve, but first seed a demo workspace (if empty) and print a working
               Base URL, App ID and App Token for the "Demo Zapier account" (the same at every
               start: the token is kept in demo-credentials.json beside the embedded database).
               Hook targets on this machine are allowed unless CONNECTOR_ALLOW_PRIVATE_TARGETS is set.
               --write-env: also write them to ./.env as authData_* lines for zapier-platform invoke.
  simulate     Generate contact-centre activity against a running connector, so hooks fire.
               Options: --base-url URL --app-id ID --app-token TOKEN (or SIMULATE_BASE_URL,
               SIMULATE_APP_ID, SIMULATE_APP_TOKEN), --rate N (actions per second, default 1),
               --count N (stop after N actions; default: run until Ctrl-C), --sink (also
               subscribe a local receiver to every event and print each delivery, verified).
  admin-token  Replace the generated admin token and print the new one (when ADMIN_TOKEN is not set).
  check-support-endpoint <url> [--timeout SECONDS] [--json]
               Fetch a support-endpoint URL (this connector's export or anyone's) the way Ferndesk
               does and say whether Ferndesk can read it, and if not, why. Exit 0 when it can.
  help         Show this text.

Settings come from environment variables: PORT, DATABASE_URL, ADMIN_TOKEN and CONNECTOR_*
(see the connector's README).`;

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve({ demo: false, writeEnv: false });
    case 'demo':
      return serve({ demo: true, writeEnv: Boolean(parseArgs({ args: rest, options: demoFlags, strict: true }).values['write-env']) });
    case 'simulate':
      await runSimulation(simulationOptionsFrom(parseArgs({ args: rest, options: simulateFlags, strict: true }).values, process.env));
      return;
    case 'admin-token':
      return rotateAdminToken();
    case 'check-support-endpoint':
      process.exitCode = await runCheckCommand(rest);
      return;
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

const simulateFlags = {
  'base-url': { type: 'string' },
  'app-id': { type: 'string' },
  'app-token': { type: 'string' },
  rate: { type: 'string' },
  count: { type: 'string' },
  sink: { type: 'boolean' },
} as const;

const demoFlags = { 'write-env': { type: 'boolean' } } as const;

/**
 * The demo's settings: as `serve`'s, except that hook targets on this machine are allowed unless
 * CONNECTOR_ALLOW_PRIVATE_TARGETS says otherwise, so `npm run simulate -- --sink` can receive,
 * and it listens on 127.0.0.1 unless CONNECTOR_HOST says otherwise.
 */
function demoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const unset = (name: string) => !env[name]?.trim();
  return {
    ...env,
    ...(unset('CONNECTOR_ALLOW_PRIVATE_TARGETS') && { CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }),
    // Demo data and a printed App Token: reachable from this machine only, unless asked otherwise.
    ...(unset('CONNECTOR_HOST') && { CONNECTOR_HOST: '127.0.0.1' }),
  };
}

/** Settings, logger and storage: what every long-running command starts from. */
async function openDeps(settings: Settings = settingsFromEnv(process.env)): Promise<ConnectorDeps> {
  const log = pino({ level: settings.logLevel });
  const storage = await openStorage({
    databaseUrl: settings.databaseUrl,
    sqlitePath: settings.sqlitePath,
    poolSize: settings.dbPoolSize,
    // Only what the error says: the pg error carries its whole client, which is no use in a log.
    onConnectionLost: (error) =>
      log.warn({ code: (error as { code?: string }).code, reason: error.message }, 'lost a database connection; a new one will be opened when needed'),
  });
  log.info({ database: storage.kind, ...(storage.kind === 'sqlite' ? { path: settings.sqlitePath } : {}) }, 'database ready');
  return { db: storage.db, storage, settings, log };
}

async function serve({ demo, writeEnv }: { demo: boolean; writeEnv: boolean }): Promise<void> {
  const settings = settingsFromEnv(demo ? demoEnv(process.env) : process.env);
  // Before anything is written: a second start on a taken port must change nothing.
  await assertPortFree(settings.port, settings.host);
  const deps = await openDeps(settings);
  const { db, log } = deps;
  const admin = await resolveAdminToken(db, settings.adminToken);
  if (admin.generatedToken) printAdminToken(admin.generatedToken, 'generated');

  const workspace = await ensureWorkspace(db, settings.workspaceName);
  const scope: Scope = {
    workspaceId: workspace.id,
    baseUrl: settings.publicBaseUrl,
    casePrefix: settings.casePrefix,
    sendsEmail: Boolean(settings.smtp),
    phoneRegion: settings.phoneRegion,
  };
  const demoCredentials = demo ? await prepareDemo(deps, scope) : undefined;

  const app = await buildApp(deps);
  if (deps.storage.kind === 'sqlite') {
    // The embedded database has one process: claims still held were left by one that died.
    const released = await releaseAllClaims(db);
    if (released > 0) log.warn({ released }, 'released webhook deliveries claimed by a connector process that stopped without finishing them');
  }
  const worker = createDeliveryWorker(deps);
  const smsPoller = createSmsReportPoller(db, log);
  // Helpdesk rules' emails, and notices of stopped subscriptions (CONNECTOR_NOTICE_EMAIL): one mailer per queue.
  const mailers = settings.smtp ? [createMailer(deps), createMailer(deps, { queue: 'subscription_notices' })] : [];
  await app.listen({ port: settings.port, host: settings.host }).catch((error: unknown) => {
    throw explainListenError(error, settings.port); // taken between the check and now
  });
  worker.start();
  smsPoller.start();
  for (const mailer of mailers) mailer.start();
  if (demoCredentials) {
    const envFile = writeEnv ? writeDemoEnvFile(settings.publicBaseUrl, demoCredentials) : undefined;
    printDemoCredentials(settings, demoCredentials, envFile);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests; finishing requests and deliveries in flight');
    try {
      await app.close(); // stops accepting, waits for requests in flight
      await Promise.all([worker.stop(), smsPoller.stop(), ...mailers.map((mailer) => mailer.stop())]);
      await deps.storage.close();
      log.info('stopped');
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exitCode = 1;
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The demo: seed the workspace once, and the demo account's credentials, the same at every start. */
async function prepareDemo(deps: ConnectorDeps, scope: Scope): Promise<DemoCredentials> {
  if (await workspaceIsEmpty(deps.db, scope)) {
    await seedDemoWorkspace(deps.db, scope);
    deps.log.info('seeded the demo workspace: staff, rooms, tags, numbers, groups, agents, contacts, enquiries, tickets and a chat');
  }
  return demoAccountCredentials(deps.db, { workspaceId: scope.workspaceId, baseUrl: scope.baseUrl }, demoCredentialsFile(deps.settings.sqlitePath));
}

/** `--write-env`: the authData_* lines `zapier-platform invoke` reads, in ./.env (other lines kept). */
function writeDemoEnvFile(baseUrl: string, account: DemoCredentials): string {
  const path = resolve('.env');
  updateEnvFile(path, { authData_appId: account.appId, authData_appToken: account.appToken, authData_baseUrl: baseUrl });
  return path;
}

function printDemoCredentials(settings: Settings, account: DemoCredentials, envFile: string | undefined): void {
  const baseUrl = settings.publicBaseUrl;
  const kept = account.file ? `kept in ${account.file}, the same at every start` : 'the database is in memory, so a new one at every start';
  const how = {
    kept: `  (The App Token is ${kept}.)`,
    created: `  (The "Demo Zapier account" was created just now; its App Token is ${kept}.)`,
    regenerated: `  (The "Demo Zapier account"'s App Token was regenerated just now: the saved one no longer matched. It is ${kept}.)`,
  }[account.how];
  const credentials = `--base-url ${baseUrl} --app-id ${account.appId} --app-token ${account.appToken}`;
  const lines = [
    '',
    '================ Contact centre connector: demo ================',
    `  Base URL   ${baseUrl}`,
    `  App ID     ${account.appId}`,
    `  App Token  ${account.appToken}`,
    how,
    envFile
      ? `  Wrote authData_appId, authData_appToken and authData_baseUrl to ${envFile} (for npx zapier-platform invoke).`
      : '  For npx zapier-platform invoke: `npm start -- --write-env` writes them to ./.env as authData_* lines.',
    settings.delivery.allowPrivateTargets
      ? '  Hook targets on this machine are allowed (CONNECTOR_ALLOW_PRIVATE_TARGETS is true by default in the demo).'
      : '  Hook targets on this machine are refused (CONNECTOR_ALLOW_PRIVATE_TARGETS=false): the --sink below needs true.',
    '',
    '  Try it:',
    `    curl -H 'X-App-Id: ${account.appId}' -H 'Authorization: Bearer ${account.appToken}' ${baseUrl}/v1/me`,
    '  Generate activity and watch signed hook deliveries arrive, verified (in another terminal):',
    `    npm run simulate -- ${credentials} --sink`,
    `  Admin page:   ${baseUrl}/admin/  (sign in with the admin token)`,
    `  API document: ${baseUrl}/openapi.json`,
    '=================================================================',
    '',
  ];
  console.log(lines.join('\n'));
}

function printAdminToken(token: string, how: 'generated' | 'rotated'): void {
  console.log(
    [
      '',
      `ADMIN_TOKEN was not set, so the connector ${how} an admin token. It is shown only now (only its hash is stored):`,
      `  ${token}`,
      'Sign in with it on the admin page (/admin/), or use it as "Authorization: Bearer <token>" on /admin/api/... . Lost it? Run the admin-token command, or set ADMIN_TOKEN.',
      ...(how === 'rotated' ? ['Running connectors accept it at once and refuse the old one; no restart is needed.'] : []),
      '',
    ].join('\n'),
  );
}

async function rotateAdminToken(): Promise<void> {
  const deps = await openDeps();
  try {
    if (deps.settings.adminToken) {
      console.error('ADMIN_TOKEN is set, so the connector uses it and stores none: change the variable instead.');
      process.exitCode = 2;
      return;
    }
    const admin = await resolveAdminToken(deps.db, undefined, true);
    printAdminToken(admin.generatedToken ?? '', 'rotated');
  } finally {
    await deps.storage.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // A bad setting or option is the operator's to fix: say which, without a stack trace.
  const isUsageError =
    error instanceof SettingsError ||
    error instanceof UsageError ||
    error instanceof PortInUseError ||
    (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
  console.error(isUsageError ? (error as Error).message : error);
  process.exit(1);
});
