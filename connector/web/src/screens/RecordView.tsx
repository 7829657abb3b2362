import { ApiProblem, type AdminApi } from '../api.js';
import { Breadcrumb } from '../ui/Breadcrumb.js';
import { LoadError, useLoaded } from '../ui/Loaded.js';
import { Fields, type Json } from '../ui/RecordFields.js';
import './record.css';

/** The kinds whose records carry a link (connector/src/http/record-routes.ts), in words. */
const kindNames: Record<string, string> = { contacts: 'Contact', enquiries: 'Enquiry', tickets: 'Ticket', chats: 'Chat' };
export const kindName = (kind: string) => kindNames[kind] ?? `Record of kind “${kind}”`;

/** The field that names the record best, shown under the heading when the record has one. */
const NAME_FIELDS = ['fullName', 'subject', 'displayCaseNumber', 'name'];

/**
 * One record behind a record link (/console/<kind>/<id>): read-only, every field the API answers,
 * so what a Zap received can be checked here.
 */
export function RecordView({ api, kind, id }: { api: AdminApi; kind: string; id: string }) {
  const loaded = useLoaded(async () => (await api.getRecord(kind, id)) as unknown as { [key: string]: Json }, [api, kind, id]);
  const record = loaded.data;
  const error = loaded.error;
  // Trying again drops the error first, so "Loading the record…" shows until the answer.
  const tryAgain = () => {
    loaded.setError(undefined);
    void loaded.reload();
  };

  const name = record ? NAME_FIELDS.map((field) => record[field]).find((value) => typeof value === 'string' && value) : undefined;
  // A record that does not exist will not appear by trying again; anything else (network, server) may.
  const retryable = !(error instanceof ApiProblem && error.status === 404);
  return (
    <section aria-labelledby="main-heading" aria-busy={!record && error === undefined}>
      <Breadcrumb trail={[{ label: 'Records' }, { label: kindName(kind) }, { label: id }]} />
      <h1 id="main-heading" tabIndex={-1}>
        {kindName(kind)} <code class="wrap">{id}</code>
      </h1>
      {typeof name === 'string' ? <p class="lead">{name}</p> : null}
      {error !== undefined ? (
        <LoadError error={error} failed="Could not show this record" onRetry={retryable ? tryAgain : undefined} />
      ) : !record ? (
        <p class="muted">Loading the record…</p>
      ) : (
        <>
          <p class="hint">Read-only: the record as the connector's API answers it, the same fields a Zap receives.</p>
          <div class="panel record">
            <Fields record={record} />
          </div>
          <details class="record-json">
            <summary>The record as JSON</summary>
            <pre class="payload">{JSON.stringify(record, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  );
}
