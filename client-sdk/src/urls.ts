/** `ws://host:8080/v1/ws` → `http://host:8080`; a path prefix before `/v1/ws` (a reverse proxy) is kept. */
export function httpBaseOf(wsUrl: string): string {
  const u = new URL(wsUrl);
  const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  const path = u.pathname.replace(/\/v1\/ws\/?$/, '').replace(/\/$/, '');
  return `${protocol}//${u.host}${path}`;
}

/**
 * The socket URL with the token as a query parameter: browsers cannot set headers on a WebSocket,
 * and one way for every platform keeps the SDK simple. (The token may appear in proxy access logs.)
 */
export function socketUrlWithToken(wsUrl: string, token: string, routePatches = false): string {
  const u = new URL(wsUrl);
  u.searchParams.set('token', token);
  if (routePatches) u.searchParams.set('patch', '1');
  return u.toString();
}
