export * from './distance.js';
export * from './osm/osm-extract.js';
export * from './proximity/proximity-index.js';
export { minDistanceToRect } from './proximity/rect-distance.js';
export * from './business/index.js';
export * from './tiles/index.js';
export * from './fences/index.js';
export * from './geocode/index.js';
