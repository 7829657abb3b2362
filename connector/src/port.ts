import { createServer } from 'node:net';

/** The port is taken: one sentence naming the port and the variable that changes it. */
export class PortInUseError extends Error {
  constructor(port: number) {
    super(
      `Port ${port} is already in use (is a connector already running?): stop that process, or choose another port with the PORT variable, e.g. PORT=${port === 65535 ? 8081 : port + 1} npm start.`,
    );
    this.name = 'PortInUseError';
  }
}

const isAddressInUse = (error: unknown) => (error as { code?: string } | null)?.code === 'EADDRINUSE';

/** A listen that failed on a taken port becomes a PortInUseError; anything else is rethrown as is. */
export function explainListenError(error: unknown, port: number): unknown {
  return isAddressInUse(error) ? new PortInUseError(port) : error;
}

/**
 * Fails with a PortInUseError when the port is taken, by binding it for a moment. It runs before
 * the connector touches its database, so a second start changes nothing (no token, no seed).
 * Port 0 (any free port) cannot be taken; other listen errors are left to the real listen.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  const bound = await new Promise<boolean>((resolve, reject) => {
    probe.once('error', (error) => (isAddressInUse(error) ? reject(new PortInUseError(port)) : resolve(false)));
    probe.listen({ port, host, exclusive: true }, () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => probe.close(() => resolve()));
}
