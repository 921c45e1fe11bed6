/**
 * A process that only runs a WakeDelayMeter, for the bench to ask between phases. The meter runs
 * here and not in the bench's own process because that one is not idle enough: its garbage from
 * the set-up (thousands of REST calls) is collected during the first phases, and its own pauses of
 * 100–150 ms read as the machine's (BENCHMARKS.md, session 22).
 *   parent → { kind: 'start' } | { kind: 'stop' } (answered with the WakeDelays) | { kind: 'exit' }
 */
import { WakeDelayMeter } from './wake-delays.js';

const meter = new WakeDelayMeter(Number(process.argv[2] ?? 5));
process.on('message', (m: { kind: string }) => {
  if (m.kind === 'start') meter.start();
  else if (m.kind === 'stop') process.send!(meter.stop());
  else if (m.kind === 'exit') process.exit(0);
});
process.send!({ kind: 'ready' });
