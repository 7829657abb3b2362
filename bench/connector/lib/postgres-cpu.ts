import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, microseconds) used so far by every PostgreSQL process on this
 * machine (the server and its backends), from /proc. The difference over a run is what the
 * database itself cost. Backends that exit during the run take their time with them, so the
 * runs keep their connections (pools) open. Null where there is no /proc.
 */
export function postgresCpuMicros(): number | null {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      if (name !== 'postgres' && !name.startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return (total / TICKS_PER_SECOND) * 1_000_000;
}
