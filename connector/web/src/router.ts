import { useEffect, useState } from 'preact/hooks';

/**
 * Screens are addressed by the URL fragment (#/zapier, #/zapier/<appId>, #/rules, #/targets, #/export, #/records/<kind>/<id>):
 * one HTML file; the connector redirects a record link (/console/<kind>/<id>) to #/records/<kind>/<id>.
 */
export type Route =
  | { screen: 'accounts' }
  | { screen: 'account'; appId: string }
  | { screen: 'rules' }
  | { screen: 'targets' }
  | { screen: 'export' }
  | { screen: 'record'; kind: string; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'zapier' && parts[1]) return { screen: 'account', appId: parts[1] };
  if (parts[0] === 'rules') return { screen: 'rules' };
  if (parts[0] === 'targets') return { screen: 'targets' };
  if (parts[0] === 'export') return { screen: 'export' };
  if (parts[0] === 'records' && parts[1] && parts[2]) return { screen: 'record', kind: parts[1], id: parts.slice(2).join('/') };
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
    case 'targets':
      return '#/targets';
    case 'export':
      return '#/export';
    case 'record':
      return `#/records/${encodeURIComponent(route.kind)}/${encodeURIComponent(route.id)}`;
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
