import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { DialogToasts } from './Toasts.js';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> (showModal: the page behind is inert). Focus moves in
 * (to the element marked data-autofocus, else the first control), Tab and Shift+Tab cycle
 * inside, Escape closes, and focus returns to what opened it (or the page heading if that is gone).
 */
export function Dialog({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      const usable = () => opener?.isConnected && !(opener as HTMLButtonElement).disabled && opener !== document.body;
      if (usable()) opener!.focus();
      // Looked at again once the change that closed the dialog is rendered: a deleted row takes its buttons with it.
      setTimeout(() => {
        const lost = document.activeElement === document.body || document.activeElement === null || !usable();
        if (lost && !document.querySelector('dialog[open]')) document.getElementById('main-heading')?.focus();
      }, 0);
    };
  }, []);

  // Content changes (a form becoming the credentials) may remove the focused element: keep focus inside.
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.contains(document.activeElement)) {
      (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    }
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab') return;
    const items = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (event.shiftKey && (document.activeElement === first || !ref.current!.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        closeRef.current();
      }}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId} class="dialog-title">
        {title}
      </h2>
      {children}
      <DialogToasts />
    </dialog>
  );
}

/** The one way out of a dialog's last step (after something was made or a secret shown once). */
export function DoneActions({ onClose }: { onClose: () => void }) {
  return (
    <div class="dialog-actions">
      <button type="button" class="button button-primary" onClick={onClose}>
        Done
      </button>
    </div>
  );
}
