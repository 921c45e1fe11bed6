/**
 * `npm run token -- --user alice [--ttl 3600] [--role operator] [--secret S | --key private.pem]`
 * Prints a JWT for the gateway. Without --secret/--key it uses LOCUS_JWT_SECRET, or the development
 * secret that the embedded default (`npm start`) accepts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mintToken } from '../auth.js';
import { DEV_JWT_SECRET } from '../config.js';

const { values } = parseArgs({
  options: {
    user: { type: 'string', short: 'u' },
    ttl: { type: 'string', default: '3600' },
    secret: { type: 'string' },
    key: { type: 'string' },
    role: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || !values.user) {
  console.error('usage: npm run token -- --user <id> [--ttl seconds] [--role operator]... [--secret S | --key private.pem]');
  process.exit(values.help ? 0 : 2);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) {
  console.error('--ttl must be a positive number of seconds');
  process.exit(2);
}
const privateKey = values.key ? readFileSync(values.key, 'utf8') : undefined;
const secret = values.secret ?? process.env.LOCUS_JWT_SECRET ?? DEV_JWT_SECRET;
console.log(mintToken(values.user, { expiresInSec: ttl, roles: values.role ?? [], ...(privateKey ? { privateKey } : { secret }) }));
