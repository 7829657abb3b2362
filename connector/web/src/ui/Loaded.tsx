import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf } from '../api.js';
import { ErrorNote } from './Field.js';

export interface Loaded<T> {
  /** Undefined until the first answer; then the last good one, kept through later failures. */
  data: T | undefined;
  /** Why the last load failed (an ApiProblem, say); cleared by the next good answer. */
  error: unknown;
  /** Loads again: Try again, Refresh, after a change. */
  reload: () => Promise<void>;
  /** For a change whose answer needs no reload (a row deleted or switched), and for a next page. */
  setData: (update: (data: T | undefined) => T | undefined) => void;
  /** A failed next page shows like a failed load; undefined hides the error. */
  setError: (error: unknown) => void;
}

/**
 * Loads what a screen shows, again whenever `deps` change. A failure leaves the data shown and
 * the error up until an answer comes, so a failing refresh (or poll) does not blank the page.
 */
export function useLoaded<T>(load: () => Promise<T>, deps: ReadonlyArray<unknown>): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  // The caller names what `load` depends on, as it would for useCallback: a new `load` every render must not reload.
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(undefined);
    } catch (problem) {
      setError(problem);
    }
  }, deps);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload, setData, setError };
}

/** A failed load, where its content goes: "Could not load …: why", with Try again when trying again can help. */
export function LoadError({ error, failed, onRetry }: { error: unknown; failed: string; onRetry?: (() => void) | undefined }) {
  if (error === undefined) return null;
  if (!onRetry) return <ErrorNote message={`${failed}: ${messageOf(error)}`} />;
  return (
    <div class="error-note" role="alert">
      <p>
        {failed}: {messageOf(error)}
      </p>
      <button type="button" class="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

type ListError = { error: unknown; failed: string; onRetry?: () => void } | { error?: undefined; failed?: undefined; onRetry?: undefined };

/**
 * A loaded list in its place, in each of its states: the load error (see LoadError), the `loading`
 * text until the first answer (if the screen shows one), the `empty` text, or the items as
 * `children` renders them. The error and a list loaded earlier show together.
 */
export function LoadedList<T>({
  items,
  loading,
  empty,
  children,
  ...failure
}: ListError & {
  items: T[] | undefined;
  loading?: string;
  empty: ComponentChildren;
  children: (items: T[]) => ComponentChildren;
}) {
  return (
    <>
      {failure.error !== undefined ? <LoadError error={failure.error} failed={failure.failed} onRetry={failure.onRetry} /> : null}
      {items === undefined && loading && failure.error === undefined ? <p class="muted">{loading}</p> : null}
      {items?.length === 0 ? <p class="empty">{empty}</p> : null}
      {items && items.length > 0 ? children(items) : null}
    </>
  );
}
