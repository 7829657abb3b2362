import { Breadcrumb } from '../ui/Breadcrumb.js';

export function Rules(_: { token: string }) {
  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[{ label: 'Administration' }, { label: 'Helpdesk' }, { label: 'Trigger rules' }]} />
      <h1 id="main-heading" tabIndex={-1}>
        Trigger rules
      </h1>
      <p class="notice">Not available yet.</p>
    </section>
  );
}

export function RuleDetail(_: { token: string; id: string }) {
  return <Rules token={_.token} />;
}
