/** After a test on the shared services: drops its PostgreSQL tables and deletes its Redis keys (`pattern`, e.g. `tag:*`). */
export async function dropTestState(o: {
  readonly postgres: string;
  readonly tables: readonly string[];
  readonly redis: string;
  readonly keys: string;
}): Promise<void> {
  const driver = 'pg'; // untyped here: the CLI has no @types/pg
  const { default: pg } = (await import(driver)) as { default: { Client: new (o: object) => any } };
  const client = new pg.Client({ connectionString: o.postgres });
  await client.connect();
  try {
    if (o.tables.length > 0) await client.query(`DROP TABLE IF EXISTS ${o.tables.join(', ')}`);
  } finally {
    await client.end();
  }
  const { Redis } = await import('ioredis');
  const redis = new Redis(o.redis);
  try {
    const keys = await redis.keys(o.keys);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
