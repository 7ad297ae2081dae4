// Moved to contracts/shared/ so the mock's CLI can use it without importing the
// suite's code (README "Architecture"); this re-export keeps the suite's and the
// verifier's imports working until they point at the new place.
export { parseWithEnv } from '../shared/parse-with-env.ts';
