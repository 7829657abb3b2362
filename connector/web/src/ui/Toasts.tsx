import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { createPortal } from 'preact/compat';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';

interface Toast {
  id: number;
  message: string;
  kind: 'success' | 'error';
}

type Notify = (message: string, kind?: Toast['kind']) => void;
interface ToastApi {
  notify: Notify;
  /** An open modal dialog makes the rest of the page inert (hidden from screen readers too): toasts then show inside it. */
  setHost: (host: HTMLElement | null) => void;
}
const ToastContext = createContext<ToastApi>({ notify: () => undefined, setHost: () => undefined });

/**
 * Confirms every change with a toast in a polite live region (role=status, aria-live). The
 * region of the page is always there; while a dialog is open the toasts go to the dialog's own
 * region, the only part of the page a screen reader can still reach.
 */
export function ToastProvider({ children }: { children: ComponentChildren }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [host, setHost] = useState<HTMLElement | null>(null);
  const notify = useCallback<Notify>((message, kind = 'success') => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-3), { id, message, kind }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), kind === 'error' ? 10_000 : 6000);
  }, []);
  const api = useMemo(() => ({ notify, setHost }), [notify]);
  const list = toasts.map((toast) => (
    <div key={toast.id} class={`toast toast-${toast.kind}`} data-testid="toast">
      <span aria-hidden="true" class="toast-icon">
        {toast.kind === 'success' ? '✓' : '!'}
      </span>
      <span>{toast.message}</span>
    </div>
  ));
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div class="toasts" role="status" aria-live="polite">
        {host ? null : list}
      </div>
      {host ? createPortal(list, host) : null}
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext).notify;

/** The live region inside a dialog; toasts show there while the dialog is open. */
export function DialogToasts() {
  const { setHost } = useContext(ToastContext);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setHost(ref.current);
    return () => setHost(null);
  }, [setHost]);
  return <div class="toasts" role="status" aria-live="polite" ref={ref} />;
}
