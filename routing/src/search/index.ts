export * from './alternatives.js';
export * from './bidirectional-a-star.js';
export * from './hierarchical.js';
export { aStar, dijkstra, type SearchOptions } from './one-way-search.js';
export { Landmarks, type LandmarkOptions } from './landmarks.js';
export * from './path-cost.js';
export { MAX_PHANTOMS, type Phantom, type Phantoms } from './phantom.js';
export * from './route.js';
export { SearchSpace } from './search-space.js';
