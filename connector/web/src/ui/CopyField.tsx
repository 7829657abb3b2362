import { useId, useRef, useState } from 'preact/hooks';
import { copyText } from './copy.js';
import { useToast } from './Toasts.js';

/** A read-only value with a Copy button; if copying is impossible the value is selected for Ctrl+C. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const notify = useToast();

  const copy = async (event: MouseEvent) => {
    const container = (event.currentTarget as HTMLElement).closest('dialog') ?? document.body;
    const copied = await copyText(value, container);
    setState(copied ? 'copied' : 'failed');
    if (copied) {
      notify(`${label} copied`);
      setTimeout(() => setState((s) => (s === 'copied' ? 'idle' : s)), 2500);
    } else {
      input.current?.focus();
      input.current?.select();
    }
  };

  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          id={id}
          ref={input}
          class="mono"
          readOnly
          value={value}
          spellcheck={false}
          autocomplete="off"
          aria-describedby={hint || state === 'failed' ? `${id}-hint` : undefined}
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" class="button" onClick={copy} aria-label={`Copy ${label}`}>
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {hint || state === 'failed' ? (
        <p id={`${id}-hint`} class={state === 'failed' ? 'field-error' : 'hint'}>
          {state === 'failed' ? 'This browser would not copy it: the value is selected, press Ctrl+C (⌘C on a Mac) to copy it.' : hint}
        </p>
      ) : null}
    </div>
  );
}
