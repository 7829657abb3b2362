import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { adminApi, whenUnauthorized } from './api.js';
import { hrefOf, useRoute, type Route } from './router.js';
import { AccountDetail } from './screens/AccountDetail.js';
import { Accounts } from './screens/Accounts.js';
import { ExportScreen } from './screens/Export.js';
import { kindName, RecordView } from './screens/RecordView.js';
import { Rules } from './screens/Rules.js';
import { Targets } from './screens/Targets.js';
import { SignIn } from './screens/SignIn.js';
import { saveToken, savedToken } from './session.js';
import { NoticesBanner } from './ui/NoticesBanner.js';
import { ToastProvider } from './ui/Toasts.js';

const sections: Array<{ label: string; route: Route; matches: Route['screen'][] }> = [
  { label: 'Zapier accounts', route: { screen: 'accounts' }, matches: ['accounts', 'account'] },
  { label: 'Trigger rules', route: { screen: 'rules' }, matches: ['rules'] },
  { label: 'Webhook targets', route: { screen: 'targets' }, matches: ['targets'] },
  { label: 'Conversation export', route: { screen: 'export' }, matches: ['export'] },
];

export function App() {
  const [token, setToken] = useState<string | null>(savedToken);
  const [signedOutBecause, setSignedOutBecause] = useState<string | undefined>();
  const route = useRoute();
  const api = useMemo(() => (token ? adminApi(token) : null), [token]);

  const signOut = (reason?: string) => {
    saveToken(null);
    setToken(null);
    setSignedOutBecause(reason);
  };

  useEffect(() => {
    whenUnauthorized(() => signOut('The connector no longer accepts the admin token you signed in with (it may have been changed). Sign in again.'));
  }, []);

  // Each screen gets the page heading's focus on arrival, so keyboard and screen-reader users start at the top of it;
  // before the screen is painted (a layout effect), so a Tab pressed as soon as it shows already starts there.
  useLayoutEffect(() => {
    if (token) document.getElementById('main-heading')?.focus({ preventScroll: false });
  }, [route.screen, token]);

  return (
    <ToastProvider>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            Z
          </span>
          <span>Contact centre · Admin</span>
        </div>
        {token ? (
          <>
            <nav aria-label="Sections" class="sections">
              <ul>
                {sections.map((section) => (
                  <li key={section.label}>
                    <a href={hrefOf(section.route)} aria-current={section.matches.includes(route.screen) ? 'page' : undefined}>
                      {section.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <button type="button" class="button button-quiet signout" onClick={() => signOut()}>
              Sign out
            </button>
          </>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {/* Above every screen, inside main: the skip link leads to it too. */}
        {api ? <NoticesBanner api={api} /> : null}
        {!token || !api ? (
          <SignIn
            notice={signedOutBecause ?? (route.screen === 'record' ? `Sign in to see ${kindName(route.kind).toLowerCase()} ${route.id}.` : undefined)}
            onSignedIn={(value) => {
              saveToken(value);
              setSignedOutBecause(undefined);
              setToken(value);
            }}
          />
        ) : route.screen === 'account' ? (
          <AccountDetail api={api} appId={route.appId} key={route.appId} />
        ) : route.screen === 'rules' ? (
          <Rules api={api} />
        ) : route.screen === 'targets' ? (
          <Targets api={api} />
        ) : route.screen === 'export' ? (
          <ExportScreen api={api} />
        ) : route.screen === 'record' ? (
          <RecordView api={api} kind={route.kind} id={route.id} key={`${route.kind}/${route.id}`} />
        ) : (
          <Accounts api={api} />
        )}
      </main>
    </ToastProvider>
  );
}
