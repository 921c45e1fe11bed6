/**
 * The Node (V8) options a gateway process is started with: `npm start`, the README's production
 * command, worker processes (which inherit their supervisor's), and every test or benchmark that
 * spawns a gateway (`startGatewayProcess`). They can only be given on the command line or in
 * NODE_OPTIONS: V8 sizes its heap when the process starts, and `v8.setFlagsFromString` afterwards
 * does not resize it.
 *
 * `--max-semi-space-size=64` (MB; Node 20's default is 16): the young generation where every
 * message's short-lived objects are born. A gateway near its limit holds many updates in flight
 * (acknowledgements waiting on the engine, a turn's fan-out), and a small young generation is
 * collected before they die: each scavenge then copies them, and more of them are promoted. At
 * 250,000 deliveries/s the scavenger was ~12 % of the gateway's CPU (perf), and with this flag
 * bench:peers measured the gateway's sustained rate 10–31 % higher and its CPU per delivery at
 * 200,000/s ~10 % lower (BENCHMARKS.md, session 21). The space grows only as allocation needs it: an
 * idle gateway's memory is unchanged; a busy one may hold up to ~96 MB more (two semi-spaces of 64
 * MB instead of 16).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * The flags of GATEWAY_NODE_FLAGS that neither the command line (`execArgv`) nor NODE_OPTIONS sets,
 * by option name: an operator's own value (say `--max-semi-space-size=128`) counts as set.
 */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set<string>();
  for (const arg of [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]) {
    if (arg.startsWith('--')) given.add(optionName(arg));
  }
  return GATEWAY_NODE_FLAGS.filter((flag) => !given.has(optionName(flag)));
}

/** `--max-semi-space-size=64` → `max-semi-space-size`; V8 reads `_` and `-` alike. */
function optionName(arg: string): string {
  const eq = arg.indexOf('=');
  return (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replaceAll('_', '-');
}
