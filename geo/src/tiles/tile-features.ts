import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { OsmPoi, OsmRoad, PoiKind } from '../osm/osm-extract.js';
import { roadClassOf, type RoadClass } from './road-class.js';

/**
 * The two tile layers as GeoJSON, built once from the extract. Everything a tile needs per feature
 * (class, oneway) is worked out here, at start-up, so encoding a tile only clips and writes.
 * Properties that are absent are left out, not set to undefined: vt-pbf would write "undefined".
 */
export interface RoadProperties {
  class: RoadClass;
  /** The raw highway=* value (primary_link, service, steps, ...) for styles that want detail. */
  highway: string;
  name?: string;
  /** Present (true) only for one-way roads; the geometry then runs in the allowed direction. */
  oneway?: true;
}

export interface PoiProperties {
  name: string;
  category: string;
  kind: PoiKind;
  /** OSM id: "n123" (node) or "w456" (way centroid). */
  id: string;
}

export type RoadCollection = FeatureCollection<LineString, RoadProperties>;
export type PoiCollection = FeatureCollection<Point, PoiProperties>;

type Direction = 'forward' | 'backward' | 'both';

/** oneway=* with OSM's implied defaults: motorways and roundabouts are one-way unless tagged otherwise. */
function direction(road: OsmRoad): Direction {
  const v = road.tags.oneway;
  if (v === 'yes' || v === 'true' || v === '1') return 'forward';
  if (v === '-1' || v === 'reverse') return 'backward';
  if (v === 'no' || v === 'false' || v === '0' || v === 'reversible' || v === 'alternating') return 'both';
  const junction = road.tags.junction;
  if (road.highway === 'motorway' || junction === 'roundabout' || junction === 'circular') return 'forward';
  return 'both';
}

/** lat,lng pairs → GeoJSON [lng, lat] positions, reversed for oneway=-1 so arrows point the right way. */
function positions(coords: Float64Array, reverse: boolean): [number, number][] {
  const n = coords.length / 2;
  const out = new Array<[number, number]>(n);
  for (let i = 0; i < n; i++) {
    const j = reverse ? n - 1 - i : i;
    out[i] = [coords[2 * j + 1]!, coords[2 * j]!];
  }
  return out;
}

export function roadFeatures(roads: readonly OsmRoad[]): RoadCollection {
  const features: Feature<LineString, RoadProperties>[] = [];
  for (const road of roads) {
    const cls = roadClassOf(road.highway);
    if (!cls || road.coords.length < 4) continue;
    const dir = direction(road);
    const properties: RoadProperties = { class: cls, highway: road.highway };
    if (road.name) properties.name = road.name;
    if (dir !== 'both') properties.oneway = true;
    features.push({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: positions(road.coords, dir === 'backward') } });
  }
  return { type: 'FeatureCollection', features };
}

export function poiFeatures(pois: readonly OsmPoi[]): PoiCollection {
  return {
    type: 'FeatureCollection',
    features: pois.map((p) => ({
      type: 'Feature',
      properties: { name: p.name, category: p.category, kind: p.kind, id: p.osmId },
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
    })),
  };
}
