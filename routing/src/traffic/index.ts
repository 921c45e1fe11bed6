export * from './live-speeds.js';
export * from './traffic-batch.js';
export * from './way-index.js';
export * from './traffic-feed.js';
