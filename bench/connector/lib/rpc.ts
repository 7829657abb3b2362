import { fork, type ChildProcess } from 'node:child_process';

/**
 * A benchmark's helper process (the connector, the bare Fastify baseline, the POST loop),
 * commanded over the IPC channel. Each runs in its own process so that it has a core to
 * itself, apart from the load generator or the sink in the parent.
 */
export interface Helper<Commands extends Record<string, (args: any) => Promise<unknown>>> {
  call<K extends keyof Commands & string>(command: K, args?: Parameters<Commands[K]>[0]): Promise<Awaited<ReturnType<Commands[K]>>>;
  pid: number;
  /** Asks it to stop and waits for its exit (killing it after a while). */
  stop(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Forks `modulePath` (a .ts file: the tsx loader this process runs under is inherited). */
export function startHelper<Commands extends Record<string, (args: any) => Promise<unknown>>>(
  modulePath: string,
  env: NodeJS.ProcessEnv = {},
): Helper<Commands> {
  const child: ChildProcess = fork(modulePath, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const { reject } of pending.values()) reject(new Error(`${modulePath} exited (code ${code}, signal ${signal})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${modulePath}: ${message.error}`));
  });
  return {
    pid: child.pid ?? 0,
    call(command, args) {
      if (exited) return Promise.reject(new Error(`${modulePath} is not running`));
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command, args });
      });
    },
    async stop() {
      if (exited) return;
      child.send({ id: 0, command: '__exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The helper's side: answers commands from the parent; `__exit` runs `onExit` and ends the process. */
export function serveCommands(commands: Record<string, (args: any) => Promise<unknown>>, onExit: () => Promise<void> = async () => undefined): void {
  process.on('message', (message: { id: number; command: string; args: unknown }) => {
    if (message.command === '__exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    const handler = commands[message.command];
    const reply = (body: Omit<Reply, 'id'>) => process.send?.({ id: message.id, ...body });
    if (!handler) return reply({ ok: false, error: `unknown command ${message.command}` });
    handler(message.args).then(
      (result) => reply({ ok: true, result }),
      (error: unknown) => reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // The parent went away (Ctrl-C, crash): do not linger.
  process.on('disconnect', () => void onExit().finally(() => process.exit(0)));
}
