/**
 * Setup and teardown that leave nothing running when a setup fails half-way. A server, browser,
 * database or process a test file started and never stopped keeps jest from exiting ("Jest did
 * not exit one second after the test run has completed"), so:
 *
 *   let web: WebTest | undefined;
 *   let sink: Sink | undefined;
 *   beforeAll(async () => {
 *     [web, sink] = await startAll([startWebTest(), startSink()]); // one fails: the other is closed
 *   });
 *   afterAll(() => closeAll(() => worker?.stop(), web, sink)); // what was never assigned is skipped
 */

/** Something a test started and must stop. */
export interface Closable {
  close(): unknown;
}

/** A thing to close, a step to run, or nothing (a setup that never got that far). */
export type Teardown = Closable | (() => unknown) | undefined | null | false;

/**
 * Promise.all for things that must be closed: waits for every start to settle; when one failed,
 * closes the ones that did start, then throws the first failure.
 */
export async function startAll<T extends readonly Promise<Closable>[]>(starts: readonly [...T]): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (!failed) return started as { -readonly [K in keyof T]: Awaited<T[K]> };
  await closeAll(...started).catch(() => undefined); // the failure to start is the one to report
  throw failed.reason;
}

/** Runs the rest of a setup; when it fails, closes what the setup had started so far, then throws the failure. */
export async function closeOnFailure<T>(started: Teardown, setup: () => Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    await closeAll(started).catch(() => undefined); // the failure to start is the one to report
    throw error;
  }
}

/**
 * Closes these one after another, in the order given, skipping what is not there; every one is
 * tried even when an earlier one fails, then the first failure is thrown.
 */
export async function closeAll(...things: Teardown[]): Promise<void> {
  const failures: unknown[] = [];
  for (const thing of things) {
    if (!thing) continue;
    try {
      await (typeof thing === 'function' ? thing() : thing.close());
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * The undo steps of something built from several parts: `add` each part's undo as the part is
 * made; `close` runs the steps added so far newest first (as closeAll does: all of them, the
 * first failure thrown) and forgets them. Call it from the thing's own close, and when building
 * it fails half-way.
 */
export interface UndoStack {
  add(step: () => unknown): void;
  close(): Promise<void>;
}

export function undoStack(): UndoStack {
  const steps: Array<() => unknown> = [];
  return {
    add: (step) => void steps.push(step),
    close: () => closeAll(...steps.splice(0).reverse()),
  };
}
