/** The URL for error messages and logs: the password, if any, must never end up there. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    // Not a URL we can parse (ioredis accepts a few odd forms): say nothing rather than leak it.
    return '<unparseable redis url>';
  }
}
