import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi, SubscriptionNotice } from '../api.js';
import { hrefOf } from '../router.js';
import { ErrorNote } from './Field.js';
import { useLoaded } from './Loaded.js';
import { useRowAction } from './row-action.js';
import { Time } from './Time.js';

/** Often enough to hear about a stopped Zap while working on the page, rarely enough to cost nothing. */
export const NOTICE_POLL_MS = 30_000;

const reasonLabel: Record<SubscriptionNotice['reason'], string> = {
  failing: 'Disabled after failing',
  gone: 'Ended by the Zap (410)',
};

/**
 * The subscriptions that stopped on their own (connector/src/delivery/notices.ts), above every
 * screen until dismissed: nothing else on the page would say a Zap stopped receiving events.
 * Nothing shows while there are none, or while the connector cannot be reached (the screen says so).
 */
export function NoticesBanner({ api }: { api: AdminApi }) {
  const notices = useLoaded(() => api.listNotices(), [api]);
  const { reload } = notices;
  useEffect(() => {
    const timer = setInterval(() => void reload(), NOTICE_POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const open = notices.data ?? [];
  return (
    <>
      <NewNoticeAnnouncer notices={notices.data} />
      {open.length > 0 ? <NoticeList notices={open} api={api} onDismissed={reload} /> : null}
    </>
  );
}

function NoticeList({ notices, api, onDismissed }: { notices: SubscriptionNotice[]; api: AdminApi; onDismissed: () => Promise<void> }) {
  const dismiss = useRowAction();
  const heading = useRef<HTMLHeadingElement>(null);

  // The Dismiss button pressed goes away with its notice: focus moves to the banner's heading, or to
  // the screen's heading when it was the last one, so keyboard users are not dropped at the page's top.
  const afterDismiss = async () => {
    await onDismissed();
    (heading.current ?? document.getElementById('main-heading'))?.focus();
  };

  return (
    <section class="attention" aria-labelledby="notices-heading">
      <h2 id="notices-heading" ref={heading} tabIndex={-1}>
        Needs attention
      </h2>
      <ul class="attention-list">
        {notices.map((notice) => (
          <NoticeItem
            key={notice.id}
            notice={notice}
            busy={dismiss.isBusy(notice.id)}
            error={dismiss.errorOf(notice.id)}
            onDismiss={() =>
              dismiss.run(notice.id, {
                action: () => api.dismissNotice(notice.id),
                toast: 'Notice dismissed.',
                after: afterDismiss,
              })
            }
          />
        ))}
      </ul>
    </section>
  );
}

function NoticeItem({ notice, busy, error, onDismiss }: { notice: SubscriptionNotice; busy: boolean; error: string | undefined; onDismiss: () => void }) {
  const account = notice.accountName ?? 'A deleted Zapier account';
  return (
    <li class="attention-item" data-notice-id={notice.id}>
      <p class="attention-title">
        <strong>{account}</strong> · <code>{notice.event}</code> · <span class="attention-reason">{reasonLabel[notice.reason]}</span>
      </p>
      <p class="attention-target">
        <span class="muted">Target: </span>
        <code>{notice.targetUrl}</code>
      </p>
      <p>{notice.message}</p>
      <div class="attention-footer">
        <span class="muted">
          <Time iso={notice.createdAt} relative />
        </span>
        <div class="attention-actions">
          {/* A deleted account has no page to go to. */}
          {notice.accountName !== null ? (
            <a class="button button-quiet" href={hrefOf({ screen: 'account', appId: notice.appId })}>
              Open {notice.accountName}
            </a>
          ) : null}
          <button type="button" class="button" onClick={onDismiss} disabled={busy} aria-label={`Dismiss the notice about ${account}'s ${notice.event} Zap`}>
            {busy ? 'Dismissing…' : 'Dismiss'}
          </button>
        </div>
      </div>
      <ErrorNote message={error} />
    </li>
  );
}

/**
 * A polite live region, always in the page, that speaks only when a poll brings notices not seen
 * before (the first load counts): the same notices polled again every 30 seconds stay quiet.
 */
function NewNoticeAnnouncer({ notices }: { notices: SubscriptionNotice[] | undefined }) {
  const seen = useRef(new Set<string>());
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (!notices) return;
    const fresh = notices.filter((n) => !seen.current.has(n.id));
    for (const n of fresh) seen.current.add(n.id);
    if (fresh.length === 1) setAnnouncement(`Needs attention: ${fresh[0]!.message}`);
    else if (fresh.length > 1) setAnnouncement(`Needs attention: ${fresh.length} Zap subscriptions have stopped. See the list at the top of the page.`);
  }, [notices]);
  return (
    <div class="visually-hidden" role="status" data-testid="notice-announcement">
      {announcement}
    </div>
  );
}
