export * from './stranger-hub.js';
export * from './stranger-sink.js';
export * from './stranger-options.js';
export * from './stranger-cells.js';
export * from './stranger-payload.js';
export { GeohashGrid, MAX_GRID_PRECISION } from './geohash-grid.js';
