// Nearby search (GET /v1/search/nearby around You): numbered markers and a list; each result can be
// routed to.
import { formatDistance } from './geo.js';
import { el, log } from './panels.js';

export class SearchView {
  /** @param {{ origin: () => {lat:number,lng:number}, routeTo: (p: {lat:number,lng:number}) => void }} hooks */
  constructor(maplibregl, map, hooks) {
    this.maplibregl = maplibregl;
    this.map = map;
    this.hooks = hooks;
    this.markers = [];
    this.categories = new Set();
    this.list = document.getElementById('search-results');
    document.getElementById('search-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.search();
    });
  }

  async search() {
    const category = document.getElementById('search-category').value.trim().toLowerCase();
    const radius = document.getElementById('search-radius').value;
    const at = this.hooks.origin();
    const q = new URLSearchParams({ lat: String(at.lat), lng: String(at.lng), radius, limit: '20' });
    if (category) q.set('category', category.replace(/\s+/g, '_'));
    this.list.dataset.state = 'loading';
    const res = await fetch(`/v1/search/nearby?${q}`);
    const body = await res.json();
    this.clear();
    if (!res.ok) {
      this.list.append(el('li', { class: 'error' }, body.error?.message ?? `search failed (${res.status})`));
      this.list.dataset.state = 'error';
      return;
    }
    body.results.forEach((b, i) => this.add(b, i + 1));
    if (body.results.length === 0) this.list.append(el('li', {}, `Nothing within ${formatDistance(Number(radius))}.`));
    this.list.dataset.state = 'done';
    this.list.dataset.count = String(body.results.length);
    log(`Search${category ? ` “${category}”` : ''}: ${body.results.length} result${body.results.length === 1 ? '' : 's'}`);
    const datalist = document.getElementById('categories');
    datalist.replaceChildren(...[...this.categories].sort().map((c) => el('option', { value: c })));
  }

  add(b, n) {
    this.categories.add(b.category);
    const node = el('div', { class: 'marker result-marker', title: `${b.name} (${b.category})` }, el('span', { class: 'num' }, String(n)));
    this.markers.push(new this.maplibregl.Marker({ element: node }).setLngLat([b.lng, b.lat]).addTo(this.map));
    const go = el('button', { type: 'button', onclick: () => this.hooks.routeTo({ lat: b.lat, lng: b.lng }) }, 'Route');
    this.list.append(el('li', { dataset: { id: b.id } }, el('span', { class: 'num' }, String(n)),
      el('span', {}, b.name, el('br'), el('small', {}, b.category.replace(/_/g, ' '))),
      el('span', { class: 'meta' }, formatDistance(b.distance)), go));
  }

  clear() {
    for (const m of this.markers) m.remove();
    this.markers = [];
    this.list.replaceChildren();
  }
}
