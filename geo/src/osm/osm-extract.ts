import { createReadStream, statSync } from 'node:fs';
import { OSMTransform } from 'osm-pbf-parser-node';

/**
 * What Locus takes from an OSM extract, read in one streaming pass: named POIs (businesses),
 * address points (geocoding), roads (tiles, and named streets for geocoding). Node coordinates are
 * kept in typed arrays keyed by a Map from id to slot, because ways refer back to them.
 */
export type PoiKind = 'amenity' | 'shop' | 'tourism';

export interface OsmPoi {
  /** "n123" for a node, "w456" for a way (its centroid). */
  osmId: string;
  name: string;
  kind: PoiKind;
  /** The tag value: restaurant, cafe, supermarket, hotel, ... */
  category: string;
  lat: number;
  lng: number;
  tags: Record<string, string>;
}

export interface OsmAddress {
  osmId: string;
  lat: number;
  lng: number;
  housenumber: string;
  street: string;
  postcode?: string;
  city?: string;
  /** Name of the place at the address, if any (a shop, a building). */
  name?: string;
}

export interface OsmRoad {
  osmId: string;
  /** highway=* value: motorway, primary, residential, footway, ... */
  highway: string;
  name?: string;
  /** lat,lng pairs. */
  coords: Float64Array;
  tags: Record<string, string>;
}

export interface OsmExtract {
  pois: OsmPoi[];
  addresses: OsmAddress[];
  roads: OsmRoad[];
  bbox: { south: number; west: number; north: number; east: number };
}

export type ProgressFn = (bytesRead: number, totalBytes: number) => void;

const POI_KINDS: readonly PoiKind[] = ['amenity', 'shop', 'tourism'];

interface RawNode {
  type: 'node';
  id: number;
  lat: number;
  lon: number;
  tags?: Record<string, string>;
}
interface RawWay {
  type: 'way';
  id: number;
  refs: number[];
  tags?: Record<string, string>;
}
type RawItem = RawNode | RawWay | { type: 'relation' } | { type?: undefined };

class NodeStore {
  private readonly slot = new Map<number, number>();
  private lat: Float64Array = new Float64Array(1 << 16);
  private lng: Float64Array = new Float64Array(1 << 16);
  private n = 0;

  add(id: number, lat: number, lng: number): void {
    if (this.n === this.lat.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.lat = grow(this.lat);
      this.lng = grow(this.lng);
    }
    this.lat[this.n] = lat;
    this.lng[this.n] = lng;
    this.slot.set(id, this.n++);
  }

  /** lat,lng pairs of the refs that are present (extracts clip ways at their border). */
  coords(refs: readonly number[]): Float64Array {
    const out = new Float64Array(refs.length * 2);
    let k = 0;
    for (const r of refs) {
      const s = this.slot.get(r);
      if (s === undefined) continue;
      out[k++] = this.lat[s]!;
      out[k++] = this.lng[s]!;
    }
    return k === out.length ? out : out.slice(0, k);
  }
}

function poiOf(osmId: string, tags: Record<string, string>, lat: number, lng: number): OsmPoi | null {
  const name = tags.name?.trim();
  if (!name) return null;
  for (const kind of POI_KINDS) {
    const category = tags[kind];
    if (category) return { osmId, name, kind, category, lat, lng, tags };
  }
  return null;
}

function addressOf(osmId: string, tags: Record<string, string>, lat: number, lng: number): OsmAddress | null {
  const housenumber = tags['addr:housenumber']?.trim();
  const street = (tags['addr:street'] ?? tags['addr:place'])?.trim();
  if (!housenumber || !street) return null;
  const a: OsmAddress = { osmId, lat, lng, housenumber, street };
  if (tags['addr:postcode']) a.postcode = tags['addr:postcode'];
  if (tags['addr:city']) a.city = tags['addr:city'];
  if (tags.name) a.name = tags.name;
  return a;
}

/** Centroid of a way's points (good enough for a POI or an address on a building outline). */
function centroid(coords: Float64Array): [number, number] | null {
  const n = coords.length / 2;
  if (n === 0) return null;
  let lat = 0;
  let lng = 0;
  for (let i = 0; i < coords.length; i += 2) {
    lat += coords[i]!;
    lng += coords[i + 1]!;
  }
  return [lat / n, lng / n];
}

/** Read an .osm.pbf file into the pieces Locus uses. */
export async function readOsmExtract(path: string, onProgress?: ProgressFn): Promise<OsmExtract> {
  const total = statSync(path).size;
  const nodes = new NodeStore();
  const out: OsmExtract = { pois: [], addresses: [], roads: [], bbox: { south: 90, west: 180, north: -90, east: -180 } };
  const input = createReadStream(path);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onProgress?.(read, total);
  });
  const parser = input.pipe(new OSMTransform({ withTags: true, withInfo: false }));
  for await (const batch of parser as AsyncIterable<RawItem | RawItem[]>) {
    // The transform emits arrays of items (one per PBF block).
    const items = Array.isArray(batch) ? batch : [batch];
    for (const item of items) {
      if (item.type === 'node') {
        nodes.add(item.id, item.lat, item.lon);
        const b = out.bbox;
        if (item.lat < b.south) b.south = item.lat;
        if (item.lat > b.north) b.north = item.lat;
        if (item.lon < b.west) b.west = item.lon;
        if (item.lon > b.east) b.east = item.lon;
        if (!item.tags) continue;
        const poi = poiOf(`n${item.id}`, item.tags, item.lat, item.lon);
        if (poi) out.pois.push(poi);
        const addr = addressOf(`n${item.id}`, item.tags, item.lat, item.lon);
        if (addr) out.addresses.push(addr);
      } else if (item.type === 'way') {
        const tags = item.tags;
        if (!tags) continue;
        const coords = nodes.coords(item.refs);
        if (tags.highway && coords.length >= 4) {
          const road: OsmRoad = { osmId: `w${item.id}`, highway: tags.highway, coords, tags };
          if (tags.name) road.name = tags.name;
          out.roads.push(road);
          continue;
        }
        const c = centroid(coords);
        if (!c) continue;
        const poi = poiOf(`w${item.id}`, tags, c[0], c[1]);
        if (poi) out.pois.push(poi);
        const addr = addressOf(`w${item.id}`, tags, c[0], c[1]);
        if (addr) out.addresses.push(addr);
      }
    }
  }
  onProgress?.(total, total);
  return out;
}
