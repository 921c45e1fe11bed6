export * from './grid-graph.js';
export * from './rng.js';
