export { contentTypeOf, demoAssets, type DemoAsset } from './assets.js';
