export * from './graph/index.js';
export * from './snap/edge-snapper.js';
export * from './traffic/index.js';
