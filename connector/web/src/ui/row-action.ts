import { useState } from 'preact/hooks';
import { messageOf } from '../api.js';
import { useToast } from './Toasts.js';

/** What tells the rows apart: a delivery's id, a trigger rule's number. */
type RowId = string | number;

/**
 * Runs an action on one row of a list (retry, re-enable, switch on or off): that row's button is
 * busy meanwhile, success is confirmed with a toast, a failure shows as that row's error. One row
 * at a time: starting an action clears the error any row showed.
 */
export function useRowAction() {
  const [busyRow, setBusyRow] = useState<RowId | null>(null);
  const [failure, setFailure] = useState<{ rowId: RowId; message: string } | null>(null);
  const notify = useToast();

  const run = async <T>(
    rowId: RowId,
    {
      action,
      toast,
      after,
    }: {
      action: () => Promise<T>;
      /** The toast on success, in words that may use the answer ("switched on"). */
      toast: string | ((result: T) => string);
      /** What follows on the page once the toast is up (a reload); its failure is the row's error too. */
      after?: (result: T) => unknown;
    },
  ) => {
    setBusyRow(rowId);
    setFailure(null);
    try {
      const result = await action();
      notify(typeof toast === 'string' ? toast : toast(result));
      await after?.(result);
    } catch (problem) {
      setFailure({ rowId, message: messageOf(problem) });
    } finally {
      setBusyRow(null);
    }
  };

  return {
    run,
    isBusy: (rowId: RowId) => busyRow === rowId,
    errorOf: (rowId: RowId) => (failure?.rowId === rowId ? failure.message : undefined),
  };
}
