import { formatDateTime, formatRelative } from './format.js';

/** A date and time, readable, with the exact instant for machines and a relative hint on hover. */
export function Time({ iso, relative = false }: { iso: string | null | undefined; relative?: boolean }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
      {relative ? <span class="muted"> ({formatRelative(iso)})</span> : null}
    </time>
  );
}
