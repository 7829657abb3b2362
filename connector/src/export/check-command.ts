import { parseArgs } from 'node:util';
import type { SupportEndpointCheck, SupportEndpointFetch } from '../../../contract/index.js';
import { checkSupportEndpoint, DEFAULT_CHECK_TIMEOUT_MS } from './check.js';

export const CHECK_USAGE = `Usage: contact-centre-connector check-support-endpoint <url> [--timeout SECONDS] [--json]
       npm run check-support-endpoint -- <url>   (in this repository)

Fetches a support-endpoint URL (this connector's export URL, or any other) the way Ferndesk
does, once exactly as given and once with the startDate Ferndesk appends (?startDate= or
&startDate=, 30 days back), and says whether Ferndesk can read it, and if not, why. Exit
status 0 when both work (warnings may remain), 1 when either does not, 2 for a usage error.`;

export class CheckUsageError extends Error {}

/** The check-support-endpoint command: prints the report in words (or as JSON); returns the exit status. */
export async function runCheckCommand(args: string[]): Promise<number> {
  try {
    return await check(args);
  } catch (error) {
    const usage = error instanceof CheckUsageError || String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    console.error((error as Error).message);
    return 2;
  }
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { timeout: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(CHECK_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new CheckUsageError(`Give exactly one URL to check.\n\n${CHECK_USAGE}`);
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS / 1000 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 600) {
    throw new CheckUsageError(`--timeout must be a number of seconds between 0 and 600, such as 30 (got "${values.timeout}").`);
  }
  const report = await checkSupportEndpoint(positionals[0]!, { timeoutMs: timeoutSeconds * 1000, allowPrivateTargets: true });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

/** One fetch on two lines: how it went, and the URL. */
function fetchLine(label: string, fetched: SupportEndpointFetch): string {
  const status = fetched.httpStatus === null ? 'no HTTP answer' : `HTTP ${fetched.httpStatus}`;
  const outcome = fetched.ok ? 'OK' : `PROBLEM (${fetched.verdict.replaceAll('_', ' ')})`;
  return `  ${label}: ${outcome}, ${status}, ${fetched.durationMs} ms\n    ${fetched.url}`;
}

/** The report as a person reads it: the verdict in words, then each of the two fetches. */
export function formatReport(report: SupportEndpointCheck): string {
  const lines = [`${report.ok ? 'OK' : 'PROBLEM'}: ${report.message}`];
  lines.push(fetchLine('As given', report.fetches.asGiven), fetchLine('As Ferndesk builds it', report.fetches.asFerndesk));
  if (report.problems.length > 0) {
    lines.push('', 'Format problems:');
    for (const problem of report.problems) lines.push(`  - ${problem.message}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const warning of report.warnings) lines.push(`  - ${warning}`);
  }
  return lines.join('\n');
}
