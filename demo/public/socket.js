// A small Locus socket for the page: JSON frames (?format=json), request/reply by id, pushes as
// events, reconnect with full-jitter backoff, and the server's `reconnect` (drain) honoured.
// The client-sdk package is the full client; the demo stays a dependency-free static page.

export class LocusSocket extends EventTarget {
  /** @param {() => Promise<string>} getToken called on every (re)connect */
  constructor(url, getToken) {
    super();
    this.url = url;
    this.getToken = getToken;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.closed = false;
    this.state = 'idle';
  }

  async connect() {
    if (this.closed) return;
    this.setState('connecting');
    let token;
    try {
      token = await this.getToken();
    } catch (err) {
      this.emit('problem', { message: `no token: ${err.message}` });
      return this.retry();
    }
    const ws = new WebSocket(`${this.url}?format=json&token=${encodeURIComponent(token)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [, p] of this.pending) p.reject(new Error('connection closed'));
      this.pending.clear();
      this.setState('closed', { code: ev.code });
      this.retry();
    };
  }

  retry(minMs = 0) {
    if (this.closed) return;
    const cap = Math.min(10_000, 500 * 2 ** this.attempt++);
    setTimeout(() => this.connect(), minMs + Math.random() * cap);
  }

  onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.id !== undefined && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.t === 'error') p.reject(Object.assign(new Error(msg.message), { code: msg.code }));
      else p.resolve(msg);
      // Replies that are also state (nav_route) are announced like pushes.
      if (!msg.t.startsWith('nav_')) return;
    }
    if (msg.t === 'reconnect') {
      // Draining: go to another gateway (here the same URL, behind a balancer) after the hint.
      this.ws?.close(1000, 'reconnecting on request');
      return;
    }
    this.emit(msg.t, msg);
    this.emit('message', msg);
  }

  send(msg) {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  request(msg, timeoutMs = 10_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.send({ ...msg, id })) return reject(new Error('not connected'));
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject(Object.assign(new Error(`no reply to ${msg.t} in ${timeoutMs} ms`), { code: 'TIMEOUT' }));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  setState(state, extra = {}) {
    this.state = state;
    this.emit('state', { state, ...extra });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  close() {
    this.closed = true;
    this.ws?.close(1000, 'bye');
  }
}
