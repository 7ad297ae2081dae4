/**
 * The package's API for verifying a server or writing an SDK's tests
 * (`import { runConformance, createApiKeysClient } from 'apikeys-mock/contracts'`):
 * the conformance suite without a test runner, the typed client and the spec.
 * Only what is exported here is public; the files behind it may move.
 *
 * @example
 * const report = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice });
 * if (!report.ok) console.log(report.results.filter((r) => r.status === 'failed'));
 */
export {
  planConformance,
  runConformance,
  startConformance,
  type ConformanceRun,
  type PlannedCheck,
} from './conformance/run-conformance.ts';
export type { ConformanceOptions } from './conformance/conformance-options.ts';
export type { CheckResult, CheckStatus, CleanupReport, ConformanceReport, Family } from './conformance/check-result.ts';
export * from './client/create-api-keys-client.ts';
export { loadSpec, type CompiledOperation, type OperationId, type Spec } from './openapi/load-spec.ts';
export { specPath } from './openapi/spec-path.ts';
