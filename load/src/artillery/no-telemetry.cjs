// Preloaded (node --require) into artillery by load:smoke. artillery 2.0.21 still posts one
// anonymous event per run when ARTILLERY_DISABLE_TELEMETRY is set, and on a machine without internet
// it retries that post for ~12 s before exiting. This swaps its posthog-node client for one that
// sends nothing.
'use strict';
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'posthog-node') {
    return {
      PostHog: class {
        capture() {}
        async shutdownAsync() {}
      },
    };
  }
  return load.call(this, request, ...rest);
};
