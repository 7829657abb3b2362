/**
 * Sums a V8 CPU profile of the delivery worker by stage. A sample belongs to the innermost
 * stage function on its stack; samples under none are named by where their own code is
 * (node's HTTP and sockets, the garbage collector, idle).
 */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Functions that start a stage, innermost first wins (signing happens inside sending). */
const STAGES: Array<[stage: string, functions: string[]]> = [
  ['claim', ['claimDueDeliveries', 'loadClaimed', 'claimBatch']],
  ['build and sign', ['signatureHeaders', 'sign']],
  ['record', ['recordAttempts', 'recordAttempt', 'recordAttemptIn', 'recordWaiting', 'recordBatch']],
  ['send', ['sendWebhook', 'post', 'vetTarget']],
  ['decide and observe', ['decide', 'observe', 'logAttempt']],
];

function selfCategory(url: string, name: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8 and native (program)';
  if (/node:(_http|http|net|stream|internal\/(streams|net|http))/.test(url) || /_http_|\/net\.js|stream/.test(url)) return 'HTTP and sockets (event loop)';
  if (url.includes('kysely')) return 'kysely (outside a stage)';
  if (url.includes('/connector/src/')) return 'worker (outside a stage)';
  return 'other';
}

interface Attributed {
  stage: string;
  micros: number;
}

function attribute(profile: CpuProfile): { byNode: Map<number, number>; stageOf: Map<number, string> } {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const stageOf = new Map<number, string>();
  for (const node of profile.nodes) {
    let stage: string | undefined;
    for (let at: number | undefined = node.id; at !== undefined && !stage; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      stage = STAGES.find(
        ([, names]) => names.includes(frame.functionName) && (frame.url.includes('/connector/src/') || frame.url.includes('standardwebhooks')),
      )?.[0];
    }
    stageOf.set(node.id, stage ?? selfCategory(node.callFrame.url, node.callFrame.functionName));
  }
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return { byNode, stageOf };
}

export function stageTotals(profile: CpuProfile): Attributed[] {
  const { byNode, stageOf } = attribute(profile);
  const totals = new Map<string, number>();
  for (const [id, micros] of byNode) totals.set(stageOf.get(id)!, (totals.get(stageOf.get(id)!) ?? 0) + micros);
  return [...totals].map(([stage, micros]) => ({ stage, micros })).sort((a, b) => b.micros - a.micros);
}

export function topFunctions(profile: CpuProfile, count: number): Array<{ name: string; where: string; stage: string; micros: number }> {
  const { byNode, stageOf } = attribute(profile);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, { name: string; where: string; stage: string; micros: number }>();
  for (const [id, micros] of byNode) {
    const { functionName, url } = nodes.get(id)!.callFrame;
    const where = url
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/work\/[^/]+\//, '')
      .replace(/^file:\/\//, '');
    const key = `${functionName}|${where}|${stageOf.get(id)}`;
    const entry = totals.get(key) ?? { name: functionName || '(anonymous)', where: where || '(native)', stage: stageOf.get(id)!, micros: 0 };
    entry.micros += micros;
    totals.set(key, entry);
  }
  return [...totals.values()]
    .filter((f) => f.stage !== 'idle')
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count);
}
