type Listener = () => void;
const listeners = new Set<Listener>();

/** The mailers subscribe here to wake as soon as emails were queued in this process. */
export function onEmailsQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Wakes this process's mailers, once the caller's transaction has had the chance to commit. */
export function announceEmailsQueued(): void {
  setImmediate(() => {
    for (const listener of listeners) listener();
  });
}
