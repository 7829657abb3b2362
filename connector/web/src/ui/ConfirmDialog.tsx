import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf } from '../api.js';
import { Dialog, DoneActions } from './Dialog.js';
import { ErrorNote } from './Field.js';

/**
 * Asks before something that cannot be taken back (delete, regenerate, rotate): the warning,
 * Cancel (focused first, so Enter does no harm) and the red button that does it. A failure shows
 * in the dialog, which stays open to try again or cancel. Once done it closes, or, given
 * `outcome`, shows that in the same dialog (wide, with Done): the one time a new secret is shown.
 */
export function ConfirmDialog<T>({
  title,
  confirmLabel,
  busyLabel,
  onConfirm,
  onClose,
  outcome,
  children,
}: {
  title: string;
  /** The red button ("Delete account") and its text while it runs ("Deleting…"). */
  confirmLabel: string;
  busyLabel: string;
  /** Does it, and whatever follows on the page (a toast, a reload); throws to show the failure. */
  onConfirm: () => Promise<T>;
  onClose: () => void;
  outcome?: (result: T) => { title: string; content: ComponentChildren };
  /** The warning: what happens, and to what. */
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Boxed, so that an action answering nothing (void) still counts as done.
  const [done, setDone] = useState<{ result: T } | null>(null);

  const confirm = async () => {
    setBusy(true);
    let result: T;
    try {
      result = await onConfirm();
    } catch (problem) {
      setError(messageOf(problem));
      setBusy(false);
      return;
    }
    if (outcome) {
      setDone({ result });
      setBusy(false);
    } else {
      onClose();
    }
  };

  // Both steps render the one Dialog, so the <dialog> stays open and keeps focus inside as its content changes.
  if (done && outcome) {
    const shown = outcome(done.result);
    return (
      <Dialog title={shown.title} onClose={onClose} wide>
        {shown.content}
        <DoneActions onClose={onClose} />
      </Dialog>
    );
  }
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <ErrorNote message={error} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" class="button button-danger" onClick={confirm} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
