import { PGlite } from '@electric-sql/pglite';
const [mode] = process.argv.slice(2);
const db = await PGlite.create('/tmp/pgl');
await db.exec('create table if not exists t (v text)');
if (mode === 'insert') { await db.exec(`insert into t values ('A')`); await db.close(); console.log('closed'); }
if (mode === 'crash') { await db.exec(`insert into t values ('B')`); console.log('inserted B, now hanging'); await new Promise(r => setTimeout(r, 100000)); }
if (mode === 'read') { console.log((await db.query('select * from t')).rows); await db.close(); }
