// Click-to-route, live navigation over the socket, and the closure button.
//
// A route is asked for twice: GET /v1/route draws it at once and names its edges (what a closure
// addresses), and nav_start opens a navigation session whose nav_route / nav_eta / nav_progress /
// nav_end pushes then drive the panel. A closure is POST /v1/traffic (speed 0) on edges in the middle
// of the route; the server finds the navigating session it touches and pushes a nav_route with reason
// "closure". Without navigation on the gateway, the page asks GET /v1/route again instead.
import { bboxOf, formatClock, formatDistance, formatDuration, PathWalker } from './geo.js';
import { empty, line } from './map-style.js';
import { el, log } from './panels.js';
import { decodePolyline } from './polyline.js';

const CLOSURE_TTL_SEC = 900;
/** Drive mode runs this many times faster than the route's own pace, one fix a second. */
const DRIVE_SPEEDUP = 3;
/** Codes that mean the gateway has no navigation (older gateway): anything else is a real answer. */
const NO_NAVIGATION = new Set(['BAD_MESSAGE', 'TIMEOUT']);
/** Reroute reasons that replace the route the user was driving (the old one is kept, dashed). */
const REROUTES = new Set(['off_route', 'closure', 'faster', 'proactive']);

export class RouteController {
  /**
   * @param {{ me: () => {lat:number,lng:number}, moveMe: (p: {lat:number,lng:number}) => void, socket: () => any, operatorToken: () => string | null }} hooks
   */
  constructor(maplibregl, map, hooks) {
    this.maplibregl = maplibregl;
    this.map = map;
    this.hooks = hooks;
    this.dest = null;
    this.destMarker = null;
    this.closureMarkers = [];
    /** The route as GET /v1/route gave it: coordinates and edge ids (edge i spans coords[i]..coords[i+1]). */
    this.route = null;
    this.nav = { session: null, reroutes: 0, last: null, available: null };
    /** What each GeoJSON source shows (MapLibre has no public getter for it). */
    this.shown = { route: empty(), 'route-old': empty(), closure: empty() };
    this.routeInfo = document.getElementById('route-info');
    this.navInfo = document.getElementById('nav-info');
    this.closureInfo = document.getElementById('closure-info');
    this.closureBtn = document.getElementById('closure-btn');
    this.clearBtn = document.getElementById('clear-btn');
    this.driveBtn = document.getElementById('drive-btn');
    this.driveBtn.addEventListener('click', () => this.toggleDrive());
    this.drive = null;
    /** The last closure reroute the server pushed: it can arrive before the POST's answer. */
    this.closureRerouted = null;
    this.closureBtn.addEventListener('click', () => void this.closeRoad());
    this.clearBtn.addEventListener('click', () => this.clear());
  }

  /** Socket pushes (and nav replies) are routed here by the app. */
  onMessage(msg) {
    if (msg.t === 'nav_route') this.onNavRoute(msg);
    else if (msg.t === 'nav_eta') this.onNavEta(msg);
    else if (msg.t === 'nav_progress') this.onNavProgress(msg);
    else if (msg.t === 'nav_end') this.onNavEnd(msg);
  }

  async routeTo(dest) {
    this.dest = dest;
    this.destMarker?.remove();
    this.destMarker = new this.maplibregl.Marker({ element: el('div', { class: 'marker dest-marker' }, el('div', { class: 'flag' })) })
      .setLngLat([dest.lng, dest.lat])
      .addTo(this.map);
    this.clearBtn.disabled = false;
    const from = this.hooks.me();
    this.routeInfo.dataset.state = 'loading';
    this.routeInfo.textContent = 'Routing…';
    const fetched = await this.fetchRoute(from, dest);
    if (!fetched) return;
    this.route = fetched;
    this.setSource('route-old', empty());
    this.setSource('route', line(fetched.coords));
    this.map.fitBounds(bboxOf([...fetched.coords, [from.lng, from.lat]]), { padding: 70, maxZoom: 17, duration: 400 });
    this.showRouteInfo(fetched);
    this.closureBtn.disabled = false;
    log(`Route: ${formatDistance(fetched.distance)}, ${formatDuration(fetched.duration)}${fetched.summary ? ` via ${fetched.summary}` : ''}`);
    await this.startNavigation(from, dest);
  }

  async fetchRoute(from, to) {
    const res = await fetch(`/v1/route?from=${from.lat},${from.lng}&to=${to.lat},${to.lng}`);
    const body = await res.json();
    if (!res.ok) {
      this.routeInfo.dataset.state = 'error';
      this.routeInfo.dataset.code = body.error?.code ?? String(res.status);
      this.routeInfo.textContent = `No route: ${body.error?.message ?? res.status}`;
      log(`No route (${body.error?.code ?? res.status})`, 'error');
      return null;
    }
    const r = body.routes[0];
    return { coords: r.geometry.coordinates, edges: r.edges, distance: r.distance, duration: r.duration, summary: r.summary, maneuvers: r.maneuvers };
  }

  showRouteInfo(r) {
    this.routeInfo.dataset.state = 'done';
    this.routeInfo.dataset.distance = String(r.distance);
    this.routeInfo.dataset.duration = String(r.duration);
    const steps = r.maneuvers.slice(0, 4).map((m) => el('li', {}, m.instruction));
    this.routeInfo.replaceChildren(
      el('b', {}, formatDuration(r.duration)), ` · ${formatDistance(r.distance)} · arrive ${formatClock(Date.now() + r.duration * 1000)}`,
      ...(r.summary ? [el('br'), el('small', {}, `via ${r.summary}`)] : []),
      el('ol', { class: 'steps' }, ...steps),
    );
  }

  async startNavigation(from, to) {
    const socket = this.hooks.socket();
    if (!socket || socket.state !== 'open') {
      this.setNav('unavailable', 'Live navigation needs the socket (not connected).');
      return;
    }
    this.nav.reroutes = 0;
    this.setNav('starting', 'Starting navigation…');
    try {
      // The reply is a nav_route (reason "start"); the socket also hands it to onMessage.
      await socket.request({ t: 'nav_start', from, to });
      this.nav.available = true;
      this.driveBtn.disabled = false;
    } catch (err) {
      if (NO_NAVIGATION.has(err.code)) {
        this.nav.available = false;
        this.setNav('unavailable', `Live navigation is not available on this gateway (${err.code}: ${err.message}). Closures reroute by asking /v1/route again.`);
        log(`Navigation unavailable: ${err.code}`, 'error');
      } else {
        this.setNav('failed', `Navigation could not start (${err.code ?? 'error'}: ${err.message}).`);
        log(`Navigation failed: ${err.code ?? err.message}`, 'error');
      }
    }
  }

  onNavRoute(msg) {
    this.nav.session = msg.session;
    this.nav.last = msg;
    const coords = decodePolyline(msg.route.polyline);
    const reroute = REROUTES.has(msg.reason);
    if (reroute) {
      this.nav.reroutes++;
      this.setSource('route-old', this.shown.route);
      log(`Rerouted (${msg.reason}): ${formatDuration(msg.duration)}, arrive ${formatClock(msg.eta)}`, 'reroute');
      // Edges of the new route (for the next closure) and its steps: the same search over HTTP.
      if (this.dest) {
        void this.fetchRoute(this.hooks.me(), this.dest).then((r) => {
          if (!r) return;
          this.route = r;
          this.showRouteInfo(r);
        });
      }
      if (msg.reason === 'closure') {
        this.closureRerouted = { at: Date.now(), duration: msg.duration };
        if (!this.closureInfo.hidden) this.showClosureOutcome();
      }
    } else {
      log(`Navigation ${msg.reason}: ${formatDuration(msg.duration)}, arrive ${formatClock(msg.eta)}`);
    }
    this.setSource('route', line(coords));
    if (reroute) this.fitRoutes();
    if (this.drive) this.drive.walker = new PathWalker(coords);
    this.navInfo.dataset.reason = msg.reason;
    this.navInfo.dataset.reroutes = String(this.nav.reroutes);
    this.navInfo.dataset.session = msg.session;
    this.setNav(reroute ? 'rerouted' : 'navigating', null, msg);
  }

  onNavEta(msg) {
    log(`New ETA (${msg.reason}): ${formatDuration(msg.duration)}, arrive ${formatClock(msg.eta)}`);
    this.setNav(this.navInfo.dataset.state, null, msg);
  }

  onNavProgress(msg) {
    this.navInfo.dataset.progress = String(Number(this.navInfo.dataset.progress ?? 0) + 1);
    this.navInfo.dataset.offRoute = String(msg.offRoute);
    this.setNav(this.navInfo.dataset.state, null, msg);
  }

  onNavEnd(msg) {
    log(`Navigation ended: ${msg.reason}`);
    if (msg.session === this.nav.session) this.nav.session = null;
    if (msg.reason !== 'replaced') this.stopDrive();
    if (msg.reason !== 'replaced') this.setNav('ended', `Navigation ended (${msg.reason}).`);
  }

  setNav(state, text, remaining) {
    this.navInfo.dataset.state = state;
    if (text !== null) {
      this.navInfo.textContent = text;
      return;
    }
    const r = remaining;
    const title = state === 'rerouted' ? `Rerouted (${this.navInfo.dataset.reason})` : 'Navigating';
    this.navInfo.replaceChildren(
      el('div', {}, el('b', {}, title), ` · ${this.nav.reroutes} reroute${this.nav.reroutes === 1 ? '' : 's'}`),
      el('div', {}, `${formatDuration(r.duration)} · ${formatDistance(r.distance)} left · arrive ${formatClock(r.eta)}`),
      ...(r.next ? [el('div', {}, el('small', {}, `Next: ${r.next.instruction} in ${formatDistance(r.next.distance)}`))] : []),
      ...(r.offRoute ? [el('div', {}, el('small', {}, 'Off the route: a new one is on its way.'))] : []),
    );
  }

  /** Close (speed 0) two edges in the middle of the current route: far enough ahead to reroute around. */
  async closeRoad() {
    const route = this.route;
    const token = this.hooks.operatorToken();
    if (!route || !token) return;
    const n = route.edges.length;
    const k = Math.max(0, Math.min(n - 2, Math.floor(n / 2) - 1));
    const edges = route.edges.slice(k, k + 2);
    this.closureBtn.disabled = true;
    const posted = Date.now();
    const res = await fetch('/v1/traffic', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ updates: edges.map((edge) => ({ edge, speed: 0, ttl: CLOSURE_TTL_SEC })) }),
    });
    const body = await res.json();
    this.closureBtn.disabled = false;
    if (!res.ok) {
      log(`Closure refused: ${body.error?.code ?? res.status}`, 'error');
      return;
    }
    const seg = route.coords.slice(k, k + edges.length + 1);
    this.setSource('closure', { type: 'FeatureCollection', features: [...this.shown.closure.features, line(seg)] });
    const mid = seg[Math.floor(seg.length / 2)];
    this.closureMarkers.push(new this.maplibregl.Marker({ element: el('div', { class: 'closure-marker', title: 'road closed' }) }).setLngLat(mid).addTo(this.map));
    this.closureInfo.hidden = false;
    this.closureInfo.dataset.edges = edges.join(',');
    this.closureInfo.dataset.trafficVersion = String(body.trafficVersion);
    this.closureInfo.textContent = `Closed ${edges.length} road segment${edges.length === 1 ? '' : 's'} (edges ${edges.join(', ')}) for ${CLOSURE_TTL_SEC / 60} min — traffic version ${body.trafficVersion}.`;
    log(`Closure posted on edges ${edges.join(', ')}`, 'closure');
    if (this.nav.available && this.nav.session) {
      // The server may push the reroute before it answers the POST.
      this.closureInfo.append(el('br'), el('small', {}, 'Waiting for the server to reroute the navigation…'));
      if (this.closureRerouted && this.closureRerouted.at >= posted) this.showClosureOutcome();
      return;
    }
    // No navigation session: show the reroute by asking again.
    const again = this.dest && (await this.fetchRoute(this.hooks.me(), this.dest));
    if (!again) return;
    this.setSource('route-old', this.shown.route);
    this.route = again;
    this.setSource('route', line(again.coords));
    this.fitRoutes();
    this.showRouteInfo(again);
    this.nav.reroutes++;
    this.navInfo.dataset.reason = 'closure';
    this.navInfo.dataset.reroutes = String(this.nav.reroutes);
    this.navInfo.dataset.source = 'http';
    log(`Route recomputed around the closure: ${formatDuration(again.duration)}`, 'reroute');
  }

  showClosureOutcome() {
    this.closureInfo.lastElementChild?.remove();
    this.closureInfo.append(el('small', {}, `The server rerouted the navigation around it: ${formatDuration(this.closureRerouted.duration)} now.`));
  }

  /** Drive mode: You follow the navigation route, one fix a second, so progress and arrival show. */
  toggleDrive() {
    if (this.drive) return this.stopDrive();
    const coords = this.shown.route.geometry?.coordinates;
    const last = this.nav.last;
    if (!coords || !last) return;
    const speed = (last.route.distance / Math.max(1, last.route.duration)) * DRIVE_SPEEDUP;
    this.drive = { walker: new PathWalker(coords), speed, timer: setInterval(() => this.driveStep(), 1000) };
    this.driveBtn.textContent = 'Stop driving';
    log(`Driving along the route (×${DRIVE_SPEEDUP})`);
  }

  driveStep() {
    const d = this.drive;
    if (!d) return;
    const p = d.walker.advance(d.speed);
    this.hooks.moveMe(p);
    if (d.walker.done) this.stopDrive();
  }

  stopDrive() {
    if (!this.drive) return;
    clearInterval(this.drive.timer);
    this.drive = null;
    this.driveBtn.textContent = 'Drive';
  }

  clear() {
    this.stopDrive();
    this.driveBtn.disabled = true;
    const socket = this.hooks.socket();
    if (this.nav.session && socket) socket.send({ t: 'nav_cancel' });
    this.nav.session = null;
    this.route = null;
    this.dest = null;
    this.destMarker?.remove();
    for (const m of this.closureMarkers) m.remove();
    this.closureMarkers = [];
    for (const s of ['route', 'route-old', 'closure']) this.setSource(s, empty());
    this.routeInfo.textContent = 'Click the map to get a route from You.';
    delete this.routeInfo.dataset.state;
    this.navInfo.replaceChildren();
    for (const k of Object.keys(this.navInfo.dataset)) delete this.navInfo.dataset[k];
    this.navInfo.dataset.state = 'idle';
    this.closureRerouted = null;
    this.closureInfo.hidden = true;
    this.closureBtn.disabled = true;
    this.clearBtn.disabled = true;
  }

  /** Frame the new route and the one it replaced, so the detour reads at a glance. */
  fitRoutes() {
    const coords = ['route', 'route-old'].flatMap((id) => this.shown[id].geometry?.coordinates ?? []);
    if (coords.length > 1) this.map.fitBounds(bboxOf(coords), { padding: 70, maxZoom: 17, duration: 400 });
  }

  setSource(id, data) {
    this.map.getSource(id).setData(data);
    this.shown[id] = data;
  }
}
