// Friends on the map and in the list, from `nearby`, `friend_loc` and `friend_gone`.
import { formatDistance } from './geo.js';
import { el } from './panels.js';

const COLORS = ['#e63946', '#2a9d8f', '#f4a261', '#8338ec', '#3a86ff', '#fb5607', '#06d6a0', '#ff006e'];

export class FriendsView {
  constructor(maplibregl, map) {
    this.maplibregl = maplibregl;
    this.map = map;
    /** user → { marker, item, updates, color, loc } */
    this.friends = new Map();
    this.list = document.getElementById('friends');
    this.count = document.getElementById('friend-count');
  }

  colorOf(user) {
    let h = 0;
    for (const c of user) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return COLORS[h % COLORS.length];
  }

  label(user) {
    return user.replace(/^car-/, '').replace(/^./, (c) => c.toUpperCase());
  }

  update(loc) {
    let f = this.friends.get(loc.user);
    if (!f) {
      const color = this.colorOf(loc.user);
      const node = el('div', { class: 'marker friend-marker', dataset: { user: loc.user } },
        el('div', { class: 'car', style: { background: color } }), el('div', { class: 'label' }, this.label(loc.user)));
      const marker = new this.maplibregl.Marker({ element: node }).setLngLat([loc.lng, loc.lat]).addTo(this.map);
      const item = el('li', { dataset: { user: loc.user } });
      item.addEventListener('click', () => this.map.easeTo({ center: marker.getLngLat() }));
      f = { marker, item, updates: 0, color };
      this.friends.set(loc.user, f);
      this.list.append(item);
    }
    f.updates++;
    f.loc = loc;
    f.marker.setLngLat([loc.lng, loc.lat]);
    f.item.dataset.lat = String(loc.lat);
    f.item.dataset.lng = String(loc.lng);
    f.item.dataset.updates = String(f.updates);
    f.item.replaceChildren(el('span', { class: 'dot', style: { background: f.color } }), this.label(loc.user),
      el('span', { class: 'meta' }, `${formatDistance(loc.d)} · ${f.updates} update${f.updates === 1 ? '' : 's'}`));
    this.count.textContent = String(this.friends.size);
  }

  gone(user) {
    const f = this.friends.get(user);
    if (!f) return;
    f.marker.remove();
    f.item.remove();
    this.friends.delete(user);
    this.count.textContent = String(this.friends.size);
  }
}
