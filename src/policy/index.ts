export { type Policy, type PolicyDocument, type PolicyExecution, type PolicyFlow, type PolicyRule, openPolicy, policyFromDocument } from './policy.js';
export { loadPolicy, parsePolicy } from './load.js';
export { POLICY_REFUSED_ACTION, type PolicyRefusal, auditRefusal } from './audit.js';
export { globToRegExp, matchesGlob } from './glob.js';
