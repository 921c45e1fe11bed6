// The processor artillery loads: processor.ts through tsx, as the rest of Locus runs. (Artillery's own
// TypeScript support bundles with esbuild-wasm on every run, which costs seconds, and its CommonJS
// output does not load inside this "type": "module" package.)
'use strict';
module.exports = require('tsx/cjs/api').require('./processor.ts', __filename);
