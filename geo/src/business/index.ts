export * from './business.js';
export * from './business-store.js';
export * from './business-directory.js';
export * from './opening-hours.js';
export * from './osm-seed.js';
export { CellCache } from './cell-cache.js';
