// The Locus demo page: a MapLibre map of our own vector tiles, friends moving live over the socket,
// nearby search, click-to-route with live navigation, and a closure button that shows a reroute.
import * as maplibregl from '/demo/vendor/maplibre-gl.mjs';
import { FriendsView } from './friends.js';
import { mapStyle, ROAD_LAYER_IDS } from './map-style.js';
import { RouteController } from './navigation.js';
import { el, log, setConnection, showNotice } from './panels.js';
import { SearchView } from './search.js';
import { LocusSocket } from './socket.js';

const VIEWER_KEY = 'locus-demo-viewer';
const FALLBACK_CENTER = { lat: 43.7384, lng: 7.4246 };
/** The location cache forgets a silent user after LOCUS_LOCATION_TTL_SEC (600 s by default). */
const LOC_EVERY_MS = 30_000;

/** DEMO ONLY: the gateway's /demo/session mints the viewer's token (and an operator token for closures). */
async function fetchSession() {
  const stored = localStorage.getItem(VIEWER_KEY);
  const ask = (body) => fetch('/demo/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let res = await ask(stored ? { user: stored } : {});
  if (res.status === 400 && stored) res = await ask({});
  const body = await res.json();
  if (!res.ok) throw Object.assign(new Error(body.error?.message ?? `HTTP ${res.status}`), { code: body.error?.code });
  localStorage.setItem(VIEWER_KEY, body.user);
  return body;
}

let session = null;
try {
  session = await fetchSession();
} catch (err) {
  setConnection('off', 'no live session');
  showNotice(`Live features are off: ${err.message}. The map, search and routing still work.`);
}

const center = session?.center ?? FALLBACK_CENTER;
const map = new maplibregl.Map({
  container: 'map',
  style: mapStyle(location.origin, session?.tiles),
  center: [center.lng, center.lat],
  zoom: 14,
  minZoom: 10,
  maxZoom: 19,
  attributionControl: { compact: false },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
await map.once('load');

// You: where the viewer is. Dragging moves you (a `loc` over the socket); routes start here.
let me = { ...center };
const meMarker = new maplibregl.Marker({ element: el('div', { class: 'marker me-marker' }, el('div', { class: 'car' }), el('div', { class: 'label' }, 'You')), draggable: true })
  .setLngLat([me.lng, me.lat])
  .addTo(map);
meMarker.on('dragend', () => {
  const p = meMarker.getLngLat();
  me = { lat: p.lat, lng: p.lng };
  sendLocation();
  log('You moved');
});

let socket = null;
const friends = new FriendsView(maplibregl, map);
function moveMe(p) {
  me = { lat: p.lat, lng: p.lng };
  meMarker.setLngLat([me.lng, me.lat]);
  sendLocation();
}
const nav = new RouteController(maplibregl, map, { me: () => me, moveMe, socket: () => socket, operatorToken: () => session?.operatorToken ?? null });
const search = new SearchView(maplibregl, map, { origin: () => me, routeTo: (p) => void nav.routeTo(p) });

map.on('click', (ev) => {
  if (ev.originalEvent.target.closest?.('.marker')) return;
  void nav.routeTo({ lat: ev.lngLat.lat, lng: ev.lngLat.lng });
});

function sendLocation() {
  socket?.send({ t: 'loc', lat: me.lat, lng: me.lng, ts: Date.now() });
}

if (session) {
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`;
  socket = new LocusSocket(wsUrl, async () => {
    if (!session || session.exp - Date.now() < 5 * 60_000) session = await fetchSession();
    return session.token;
  });
  socket.addEventListener('state', (ev) => {
    const { state, code } = ev.detail;
    if (state === 'connecting') setConnection('connecting', 'connecting…');
    else if (state === 'closed') {
      setConnection('closed', 'reconnecting…');
      log(`Socket closed (${code})`, 'error');
    }
  });
  socket.addEventListener('welcome', (ev) => {
    setConnection('open', 'live');
    document.getElementById('viewer').textContent = `You are ${ev.detail.user}`;
    log(`Connected to ${ev.detail.server} as ${ev.detail.user}`);
    sendLocation();
    for (const user of session.friends) {
      socket.request({ t: 'friend_request', user }).then(
        (ok) => ok.status !== 'already_friends' && log(`Friend request to ${user}: ${ok.status}`),
        (err) => log(`Friend request to ${user} failed: ${err.code ?? err.message}`, 'error'),
      );
    }
  });
  socket.addEventListener('nearby', (ev) => ev.detail.friends.forEach((f) => friends.update(f)));
  socket.addEventListener('friend_loc', (ev) => friends.update(ev.detail));
  socket.addEventListener('friend_gone', (ev) => {
    friends.gone(ev.detail.user);
    log(`${ev.detail.user} is gone (${ev.detail.reason})`);
  });
  socket.addEventListener('friend_event', (ev) => ev.detail.kind === 'accepted' && log(`${ev.detail.user} is now your friend`));
  socket.addEventListener('token_expiring', async () => {
    session = await fetchSession();
    socket.request({ t: 'refresh', token: session.token }).catch((err) => log(`Token refresh failed: ${err.message}`, 'error'));
  });
  socket.addEventListener('message', (ev) => nav.onMessage(ev.detail));
  void socket.connect();
  setInterval(sendLocation, LOC_EVERY_MS);
  if (session.friends.length === 0) showNotice('No simulated friends on this gateway (start it with LOCUS_DEMO_SIM=on; npm start does).');
}

// For the end-to-end test and for poking around in the console.
window.demo = {
  map,
  roadLayers: ROAD_LAYER_IDS,
  me: () => me,
  friends,
  nav,
  search,
  socket: () => socket,
  ready: true,
};
document.body.dataset.ready = 'true';
