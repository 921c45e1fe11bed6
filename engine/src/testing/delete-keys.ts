import { Redis } from 'ioredis';

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK, never FLUSH: the Redis may be shared).
 * The prefix must not contain glob characters (uniquePrefix() output never does).
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  if (/[*?[\]\\]/.test(prefix)) throw new Error(`prefix ${JSON.stringify(prefix)} contains glob characters`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) deleted += await redis.unlink(...found);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
