// Spectral's OpenAPI rules and the OWASP API Security Top 10 rules, both from node_modules (no network).
import { oas } from '@stoplight/spectral-rulesets';
import owasp from '@stoplight/spectral-owasp-ruleset';

export default { extends: [oas, owasp] };
