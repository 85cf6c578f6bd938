import { benchAssets } from './assets.js';
import { benchEngine } from './engine.js';
import { benchExpressions } from './expressions.js';
import { benchFlows } from './flows.js';
import { benchSlack } from './slack.js';

// The only place bench code reads the environment: DATABASE_URL adds the PostgreSQL runs.
const databaseUrl = process.env.DATABASE_URL;
console.log(`Patchbay benchmarks — node ${process.version}, ${new Date().toISOString()}`);
console.log(databaseUrl ? `PostgreSQL: ${new URL(databaseUrl).host}` : 'PostgreSQL: not measured (set DATABASE_URL to include it)');
benchExpressions();
benchFlows();
await benchEngine(databaseUrl);
await benchAssets(databaseUrl);
await benchSlack(databaseUrl);
