export * from './distance.js';
