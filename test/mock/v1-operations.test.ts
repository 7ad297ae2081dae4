import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot, specPath } from '../../contracts/openapi/spec-path.ts';
import { v1Operations, type OperationHandler } from '../../mock/http/v1-operations.ts';
import { testMock } from '../support/running-mock.ts';

/** The operationIds as openapi.yaml itself states them, read without the project's spec loader. */
function specOperationIds(): string[] {
  const spec = parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, { operationId?: string }>> };
  return Object.values(spec.paths)
    .flatMap((item) => Object.values(item).map((operation) => operation?.operationId))
    .filter((id): id is string => typeof id === 'string')
    .sort();
}

/**
 * Type-checks TypeScript sources given as text, placed in this folder, with
 * the project's compiler options; returns each one's diagnostics.
 */
function typeCheck(sources: Record<string, string>): Record<string, readonly ts.Diagnostic[]> {
  const config = ts.readConfigFile(join(packageRoot, 'tsconfig.json'), ts.sys.readFile).config as unknown;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, packageRoot);
  const here = dirname(fileURLToPath(import.meta.url));
  const files = new Map(Object.entries(sources).map(([name, text]) => [join(here, `${name}.ts`), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = files.get(file);
    return text === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return Object.fromEntries(
    Object.keys(sources).map((name) => [name, ts.getPreEmitDiagnostics(program, program.getSourceFile(join(here, `${name}.ts`)))]),
  );
}

/** A module whose operation table has a handler for each of `operationIds`. */
function tableWith(operationIds: string[]): string {
  return [
    "import type { OperationHandler, v1Operations } from '../../mock/http/v1-operations.ts';",
    'declare const handler: OperationHandler;',
    `export const table: ReturnType<typeof v1Operations> = { ${operationIds.map((id) => `${id}: handler`).join(', ')} };`,
  ].join('\n');
}

describe('the /v1 operation table', () => {
  it('has exactly one handler per operationId of openapi.yaml', async () => {
    const mock = await testMock();
    const table = v1Operations(mock.service);
    expect(specOperationIds().length).toBeGreaterThan(0);
    expect(Object.keys(table).sort()).toEqual(specOperationIds());
  });

  it(
    'does not type-check without a handler for any one operation of openapi.yaml (tsc: in npm run lint, and here through its API)',
    { timeout: 90_000 },
    () => {
      // Checked by `npm run lint` (tsc): the directive fails the build if this line ever type-checks.
      const handler: OperationHandler = () => ({ status: 204, headers: {} });
      // @ts-expect-error deleteApiKey has no handler: a table missing an operation is a type error.
      const incomplete: ReturnType<typeof v1Operations> = { createApiKey: handler, listApiKeys: handler, updateApiKey: handler };
      void incomplete;

      // Checked here: the compiler itself, on a table missing each operation in turn, and on the complete one.
      const ids = specOperationIds();
      const sources: Record<string, string> = { 'complete.generated-check': tableWith(ids) };
      for (const missing of ids) sources[`without-${missing}.generated-check`] = tableWith(ids.filter((id) => id !== missing));
      const diagnostics = typeCheck(sources);

      expect(diagnostics['complete.generated-check']!.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
      for (const missing of ids) {
        const messages = diagnostics[`without-${missing}.generated-check`]!.map((d) =>
          ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        );
        expect(messages).toEqual([expect.stringContaining(`Property '${missing}' is missing`)]);
      }
    },
  );
});
