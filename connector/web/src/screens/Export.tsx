import { Breadcrumb } from '../ui/Breadcrumb.js';

export function ExportScreen(_: { token: string }) {
  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[{ label: 'Administration' }, { label: 'Service Integration' }, { label: 'Third-party Integration' }, { label: 'Ferndesk' }]} />
      <h1 id="main-heading" tabIndex={-1}>
        Conversation export
      </h1>
      <p class="notice">Not available yet.</p>
    </section>
  );
}
