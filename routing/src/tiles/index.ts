export * from './tile-key.js';
export * from './tile-format.js';
export * from './tile-writer.js';
export * from './tile-cache.js';
export * from './tile-graph.js';
export * from './lazy-tile-graph.js';
