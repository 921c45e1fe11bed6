export * from './route-track.js';
export * from './off-route.js';
export * from './detour-search.js';
export * from './route-splice.js';
export * from './track-buffers.js';
