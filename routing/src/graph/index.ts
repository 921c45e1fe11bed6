export * from './road-class.js';
export * from './road-graph.js';
export * from './road-graph-builder.js';
export * from './edge-offset.js';
