/**
 * `node --import tsx tests/chaos/pglite-commits.ts DIR N`: N commits on PGlite in DIR,
 * opened as the server opens it; prints how long they took (ms). Run under strace by
 * pglite-fsync.ts to see what reaches the disk.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '@edgewise/db';

const [dir, n] = process.argv.slice(2);
const database = await openDatabase({ dataDir: dir });
await database.db.execute(sql`create table if not exists chaos_commits (id serial primary key, v text)`);
const t0 = performance.now();
for (let i = 0; i < Number(n); i++) await database.db.execute(sql`insert into chaos_commits (v) values (${String(i)})`);
process.stdout.write(String(performance.now() - t0));
await database.close();
