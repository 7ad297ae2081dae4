// The direction of imports (docs/architecture.md "Who may import what"), checked by `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'mock-uses-only-the-shared-contract-layer',
      comment: 'mock/ may use contracts/openapi, contracts/generated and contracts/common, never the suite, the verifier, the client or their CLIs',
      severity: 'error',
      from: { path: '^mock/' },
      to: { path: '^contracts/', pathNot: '^contracts/(openapi|generated|common)/' },
    },
    {
      name: 'shared-layer-stands-alone',
      comment: 'contracts/openapi, contracts/generated and contracts/common are what everyone imports: they import nothing above them',
      severity: 'error',
      from: { path: '^contracts/(openapi|generated|common)/' },
      to: { path: '^(mock|test)/|^contracts/', pathNot: '^contracts/(openapi|generated|common)/' },
    },
    {
      name: 'cleanup-ledger-sits-below-the-suite-and-the-verifier',
      comment: 'contracts/cleanup is the one ledger of created keys that the suite and the Pact verifier share: it imports neither',
      severity: 'error',
      from: { path: '^contracts/cleanup/' },
      to: { path: '^contracts/', pathNot: '^contracts/(openapi|generated|common|client|cleanup)/' },
    },
    {
      name: 'contracts-never-import-the-mock',
      comment: 'the suite and the verifier run against any server: they cannot depend on the mock',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: '^mock/' },
    },
    {
      name: 'product-never-imports-tests',
      severity: 'error',
      from: { path: '^(mock|contracts)/' },
      to: { path: '^test/' },
    },
    {
      name: 'http-does-not-import-the-wiring',
      comment: 'http → service → store; the files at the top of mock/ wire the layers together and are imported by no layer',
      severity: 'error',
      from: { path: '^mock/(http|service|store)/' },
      to: { path: '^mock/([^/]+[.]ts|seed/)' },
    },
    {
      name: 'service-does-not-import-http',
      severity: 'error',
      from: { path: '^mock/(service|store)/' },
      to: { path: '^mock/http/' },
    },
    {
      name: 'store-does-not-import-the-service',
      comment: 'the store knows documents, not rules; only the permission vocabulary its documents hold is shared',
      severity: 'error',
      from: { path: '^mock/store/' },
      to: { path: '^mock/service/', pathNot: '^mock/service/permissions[.]ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
