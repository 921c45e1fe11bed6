/**
 * Child processes (gateways, peer servers, load workers) outlive a benchmark that is interrupted
 * (Ctrl-C, `timeout`): register them here and they get SIGTERM when the runner is.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function killOnSignal(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        for (const c of children) c.kill('SIGTERM');
        process.exit(130);
      });
    }
  }
  return child;
}
