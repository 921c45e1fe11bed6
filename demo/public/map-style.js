// The MapLibre style for our own vector tiles (/v1/tiles: layers `roads` with `class`, `pois` with
// `kind`). No glyphs or sprites: nothing may come from outside the gateway, so names are drawn as
// HTML markers where the demo needs them, never as map text.

const ROAD_COLORS = {
  motorway: '#e8927c',
  trunk: '#f0a882',
  primary: '#f7c873',
  secondary: '#f9df8c',
  tertiary: '#fdf3c2',
  minor: '#ffffff',
};

// Line widths by zoom per class: [z12, z15, z18] in px.
const ROAD_WIDTHS = {
  motorway: [2, 7, 22],
  trunk: [2, 6.5, 20],
  primary: [1.6, 6, 18],
  secondary: [1.2, 5, 16],
  tertiary: [0.8, 4, 14],
  minor: [0.4, 2.6, 11],
};

function width([a, b, c], scale = 1, plus = 0) {
  return ['interpolate', ['exponential', 1.5], ['zoom'], 12, a * scale + plus, 15, b * scale + plus, 18, c * scale + plus];
}

function roadLayers() {
  const classes = ['minor', 'tertiary', 'secondary', 'primary', 'trunk', 'motorway'];
  const casing = classes.map((cls) => ({
    id: `road-${cls}-casing`,
    type: 'line',
    source: 'locus',
    'source-layer': 'roads',
    filter: ['==', ['get', 'class'], cls],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': cls === 'minor' ? '#cfc8bd' : '#c9a36a', 'line-width': width(ROAD_WIDTHS[cls], 1, 1.5) },
  }));
  const fill = classes.map((cls) => ({
    id: `road-${cls}`,
    type: 'line',
    source: 'locus',
    'source-layer': 'roads',
    filter: ['==', ['get', 'class'], cls],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ROAD_COLORS[cls], 'line-width': width(ROAD_WIDTHS[cls]) },
  }));
  const paths = {
    id: 'road-path',
    type: 'line',
    source: 'locus',
    'source-layer': 'roads',
    filter: ['==', ['get', 'class'], 'path'],
    paint: { 'line-color': '#b08f7a', 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 18, 2], 'line-dasharray': [2, 1.5] },
  };
  return [paths, ...casing, ...fill];
}

export const ROAD_LAYER_IDS = ['road-path', ...['minor', 'tertiary', 'secondary', 'primary', 'trunk', 'motorway'].map((c) => `road-${c}`)];

/** @param {string} origin the gateway's origin: tile URLs must be absolute for MapLibre's workers */
export function mapStyle(origin, tiles) {
  return {
    version: 8,
    sources: {
      locus: {
        type: 'vector',
        tiles: [`${origin}/v1/tiles/{z}/{x}/{y}.mvt`],
        minzoom: tiles?.minZoom ?? 10,
        maxzoom: tiles?.maxZoom ?? 18,
        attribution: '© OpenStreetMap contributors (ODbL) · tiles by Locus',
      },
      route: { type: 'geojson', data: empty() },
      'route-old': { type: 'geojson', data: empty() },
      closure: { type: 'geojson', data: empty() },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f1eee8' } },
      ...roadLayers(),
      {
        id: 'pois',
        type: 'circle',
        source: 'locus',
        'source-layer': 'pois',
        minzoom: 14,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 1.8, 18, 5],
          'circle-color': ['match', ['get', 'kind'], 'shop', '#a05ac8', 'tourism', '#2a9d8f', '#e07a2f'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
          'circle-opacity': 0.85,
        },
      },
      {
        id: 'route-casing',
        type: 'line',
        source: 'route',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#0b3d91', 'line-width': 9 },
      },
      {
        id: 'route',
        type: 'line',
        source: 'route',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#2f7df6', 'line-width': 6 },
      },
      // The replaced route above the new one, thin and dashed: where they part is the detour.
      {
        id: 'route-old',
        type: 'line',
        source: 'route-old',
        layout: { 'line-cap': 'butt', 'line-join': 'round' },
        paint: { 'line-color': '#3d4452', 'line-width': 3, 'line-opacity': 0.9, 'line-dasharray': [2, 1.5] },
      },
      {
        id: 'closure',
        type: 'line',
        source: 'closure',
        layout: { 'line-cap': 'butt' },
        paint: { 'line-color': '#d62828', 'line-width': 10, 'line-dasharray': [0.6, 0.4] },
      },
    ],
  };
}

export function empty() {
  return { type: 'FeatureCollection', features: [] };
}

export function line(coords) {
  return { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } };
}
