import { benchExpressions } from './expressions.js';
import { benchFlows } from './flows.js';

console.log(`Patchbay benchmarks — node ${process.version}, ${new Date().toISOString()}`);
benchExpressions();
benchFlows();
