import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const BASE = '/ui';

/** The console's place: its path below /ui ("/", "/jobs/x", ...) and the query string ("?tenant=t" or ""). */
function currentPlace(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return (p === '' ? '/' : p) + location.search;
}

/** The URL of a place in the console ("/" is /ui itself). */
function href(to: string): string {
  return BASE + (to === '/' ? '' : to.startsWith('/?') ? to.slice(1) : to);
}

/** Goes to a place in the console; `replace` keeps the browser's history as it is (a filter changed). */
export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (opts.replace) history.replaceState(null, '', href(to));
  else history.pushState(null, '', href(to));
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path below /ui and its query parameters, following navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [place, setPlace] = useState(currentPlace);
  useEffect(() => {
    const on = () => setPlace(currentPlace());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  const q = place.indexOf('?');
  return q < 0 ? { path: place, query: new URLSearchParams() } : { path: place.slice(0, q), query: new URLSearchParams(place.slice(q)) };
}

/**
 * The console's page of a job or group (`/jobs/ID`, `/groups/ID`); with a
 * tenant (an operator's view of another tenant's), `?tenant=T`, which that page
 * then names in X-Tenant-Id on its requests.
 */
export function pageOf(kind: 'jobs' | 'groups', id: string, tenant?: string): string {
  return `/${kind}/${encodeURIComponent(id)}${tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`}`;
}

/** A link inside the console: navigates without reloading the page. */
export function Link(props: { to: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={href(props.to)}
      class={props.class}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
