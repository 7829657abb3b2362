import zapier, { type Bundle } from 'zapier-platform-core';

/**
 * One operation's cursor as Zapier keeps it (z.cursor.set, then z.cursor.get on the next call).
 * zapier-platform-core 19 has an in-memory stand-in for its cursor service (`cursorTestObj`,
 * used by `zapier-platform invoke`), but it files each value under the wrong name:
 * set_cursor(c) does `obj[c] = null` and get_cursor() reads `obj[undefined] || null`, so a
 * plain object never gives a cursor back. This store reads those two accesses for what they
 * mean: a key written with null is the cursor set, and reading "undefined" gets it.
 */
function cursorStore() {
  let kept: string | undefined;
  const store = new Proxy({} as Record<string, unknown>, {
    set(target, prop, value) {
      if (value === null && typeof prop === 'string') kept = prop;
      else Reflect.set(target, prop, value);
      return true;
    },
    get(target, prop) {
      return prop === 'undefined' ? kept : Reflect.get(target, prop);
    },
  });
  return { store, kept: () => kept };
}

/**
 * Runs the app through Zapier's own handler (as createAppTester does) with a cursor store per
 * operation ("triggers.staffList"), kept from one call to the next as Zapier keeps it per Zap
 * step, and one z.cache store. createAppTester has no cursor store: a trigger with `canPaginate`
 * would call Zapier's RPC service.
 */
export function createInvoker(app: object) {
  // createAppHandler is exported, though not in zapier-platform-core's .d.ts.
  const { createAppHandler } = zapier as unknown as { createAppHandler(app: object): (event: object) => Promise<{ results: unknown }> };
  const handler = createAppHandler(app);
  const stores = new Map<string, ReturnType<typeof cursorStore>>();
  const storeOf = (storeKey: string) => stores.get(storeKey) ?? stores.set(storeKey, cursorStore()).get(storeKey)!;

  const invoke = async (kind: string, key: string, method: string, bundle: Partial<Bundle>): Promise<unknown> => {
    const storeKey = `${kind}.${key}`;
    const answer = await handler({
      command: 'execute',
      method: `${kind}.${key}.operation.${method}`,
      bundle,
      storeKey,
      cursorTestObj: storeOf(storeKey).store,
      zcacheTestObj: invoker.zcache,
      callback_url: 'https://auth-json-server.zapier-staging.com/echo', // as createAppTester sends
    });
    return answer.results;
  };
  const invoker = Object.assign(invoke, {
    /** The cursor Zapier would now hold for this operation (undefined before any was set). */
    cursorOf: (kind: string, key: string): string | undefined => storeOf(`${kind}.${key}`).kept(),
    /**
     * z.cache's store, one for the whole app and kept from one call to the next, as on Zapier
     * (zapier-platform-core keeps a plain object's entries, JSON-encoded, and ignores their TTL).
     * Replace it with a fresh object to start from an empty cache.
     */
    zcache: {} as Record<string, unknown>,
  });
  return invoker;
}
