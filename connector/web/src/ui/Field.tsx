import { useId } from 'preact/hooks';

/** A labelled text input with its hint and its error right below it (announced, and tied by aria-describedby). */
export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'password';
  maxLength?: number;
  autofocus?: boolean;
  autocomplete?: string;
  name?: string;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        maxLength={props.maxLength}
        autocomplete={props.autocomplete ?? 'off'}
        spellcheck={false}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
        data-autofocus={props.autofocus ? '' : undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** An error about a whole form or action, next to it. */
export function ErrorNote({ message, id }: { message: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p class="error-note" role="alert" id={id}>
      {message}
    </p>
  );
}
