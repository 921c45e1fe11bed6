export * from './graph/index.js';
export * from './snap/edge-snapper.js';
export * from './traffic/index.js';
export * from './tiles/index.js';
export * from './route/polyline.js';
export * from './route/maneuvers.js';
export * from './osm/index.js';
