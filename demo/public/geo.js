// Small geometry and formatting helpers for the page.
const R = 6371008.8;

export function haversine(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function formatDistance(m) {
  return m >= 1000 ? `${(m / 1000).toFixed(m >= 10000 ? 0 : 1)} km` : `${Math.round(m)} m`;
}

export function formatDuration(s) {
  const min = Math.round(s / 60);
  if (min < 1) return `${Math.max(1, Math.round(s))} s`;
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')}`;
}

export function formatClock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function bboxOf(coords) {
  let w = 180, s = 90, e = -180, n = -90;
  for (const [lng, lat] of coords) {
    if (lng < w) w = lng;
    if (lng > e) e = lng;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
  }
  return [[w, s], [e, n]];
}

/** Walks a [lng, lat] line by metres: drive mode's position source. */
export class PathWalker {
  constructor(coords) {
    this.coords = coords;
    this.i = 0;
    this.offset = 0;
    this.done = coords.length < 2;
  }

  advance(metres) {
    let left = metres;
    while (this.i < this.coords.length - 1) {
      const [lng0, lat0] = this.coords[this.i];
      const [lng1, lat1] = this.coords[this.i + 1];
      const seg = haversine({ lat: lat0, lng: lng0 }, { lat: lat1, lng: lng1 });
      if (this.offset + left < seg) {
        this.offset += left;
        const f = seg > 0 ? this.offset / seg : 0;
        return { lat: lat0 + (lat1 - lat0) * f, lng: lng0 + (lng1 - lng0) * f };
      }
      left -= seg - this.offset;
      this.offset = 0;
      this.i++;
    }
    this.done = true;
    const [lng, lat] = this.coords[this.coords.length - 1];
    return { lat, lng };
  }
}
