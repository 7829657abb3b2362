import { useEffect, useState } from 'preact/hooks';

/** Screens are addressed by the URL fragment (#/zapier, #/zapier/<appId>, #/rules, #/export): one HTML file, no server routes. */
export type Route =
  | { screen: 'accounts' }
  | { screen: 'account'; appId: string }
  | { screen: 'rules' }
  | { screen: 'export' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'zapier' && parts[1]) return { screen: 'account', appId: parts[1] };
  if (parts[0] === 'rules') return { screen: 'rules' };
  if (parts[0] === 'export') return { screen: 'export' };
  return { screen: 'accounts' };
}

export const hrefOf = (route: Route): string => {
  switch (route.screen) {
    case 'accounts':
      return '#/zapier';
    case 'account':
      return `#/zapier/${encodeURIComponent(route.appId)}`;
    case 'rules':
      return '#/rules';
    case 'export':
      return '#/export';
  }
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
