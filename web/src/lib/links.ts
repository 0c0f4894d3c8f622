/**
 * Where a page lives. Normally at its own path (/portal/…): the server or CloudFront answers every
 * page path with index.html. Where the host cannot (CloudFront in AWS's China regions has no
 * CloudFront Functions to route page paths), the uploaded index.html says `data-router="hash"`
 * and pages live after a hash (/#/portal/…), so the host only ever serves / and /index.html.
 */
export const HASH_ROUTES = typeof document !== 'undefined' && document.documentElement.dataset.router === 'hash';

/** The absolute address of a page, e.g. for a QR code. */
export function pageUrl(path: string): string {
  return `${location.origin}${HASH_ROUTES ? `/#${path}` : path}`;
}

/** Where the identity provider sends the browser back after sign-in (registered with the provider). */
export function signInCallbackUrl(): string {
  return HASH_ROUTES ? `${location.origin}/index.html` : `${location.origin}/console/callback`;
}

/** With hash routes, a return from the identity provider lands on /index.html?code=…: route it to the callback page. */
export function routeSignInReturn(): void {
  if (!HASH_ROUTES || location.hash.startsWith('#/console/callback')) return;
  const params = new URLSearchParams(location.search);
  if (params.has('state') && (params.has('code') || params.has('error'))) location.hash = '#/console/callback';
}
