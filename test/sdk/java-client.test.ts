import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock } from '../../mock/start-mock.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { generatedClientPom, surefireResults, writeJunitProject } from '../toolchains/junit-project.ts';
import { toolchain } from '../toolchains/toolchain.ts';
import { operationOf, responseSchemaName } from './support/check-exchange.ts';
import { expectWireFollowsSpec } from './support/expect-wire-follows-spec.ts';
import { recordingProxy, type Exchange } from './support/recording-proxy.ts';

// GoodMem's Java SDK (ai.pairsys.goodmem:goodmem-client-java) is not served by the Maven
// repository these machines reach, so the Java side is a client generated the way that SDK
// is (OpenAPI Generator 7.19.0, java/okhttp-gson, package ai.pairsys.goodmem.client: the
// ApiKeysApi, ApiKeyAuth and ApiException of its SDK page), from openapi.yaml, at every run.
// The JUnit 5 file java/ApiKeysClientTest.java makes every call of the SDK page through it,
// behind a recording proxy; this test holds each exchange against openapi.yaml and against
// what the client made of the answer (java/LoggingApiClient.java logs the model or exception).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JAVA_DIR = fileURLToPath(new URL('./java/', import.meta.url));
const SOURCES = ['ApiKeysClientTest.java', 'LoggingApiClient.java'];
const full = loadSpec();
const contract = loadSpec({ layer: 'contract' });
const run = promisify(execFile);
// The create answer for this client-chosen id reaches the client with one field more.
const UNKNOWN_FIELD_ID = '0b7e5a3c-2f4d-4e6a-9c1b-8d7f6e5a4b3d';

/** The mock's 201 for UNKNOWN_FIELD_ID, with `unknownField` added to its `apiKeyMetadata`. */
function addUnknownField(exchange: Exchange): string | undefined {
  if (exchange.method !== 'POST' || exchange.response.status !== 201) return undefined;
  const body = JSON.parse(exchange.response.body) as { apiKeyMetadata: Record<string, unknown> };
  if (body.apiKeyMetadata.apiKeyId !== UNKNOWN_FIELD_ID) return undefined;
  body.apiKeyMetadata.unknownField = 'x';
  return JSON.stringify(body);
}

interface ClientLogEntry {
  status: number;
  model?: string | null;
  exception?: string;
  exceptionStatus?: number;
  message?: string;
}

describe("a Java client generated like GoodMem's Java SDK, against the mock", () => {
  it(
    'makes every documented call and reaches every documented status; its requests are valid; its models read every answer and refuse an unknown field',
    { timeout: 240_000 },
    async (context) => {
      const { repository } = toolchain('java', context);
      const mock = await startMock();
      const proxy = await recordingProxy(mock.url, addUnknownField);
      context.onTestFinished(async () => {
        await proxy.close();
        await mock.close();
      });
      const dir = tempDir('apikeys-java-client-');
      const clientLog = join(dir, 'client-log.jsonl');
      writeJunitProject(
        dir,
        SOURCES.map((name): [string, string] => [name, readFileSync(join(JAVA_DIR, name), 'utf8')]),
        generatedClientPom,
      );
      const env = {
        ...process.env,
        APIKEYS_URL: proxy.url,
        APIKEYS_DEV_KEYS: JSON.stringify(mock.devKeys),
        APIKEYS_SDK_LOG: clientLog,
        APIKEYS_UNKNOWN_FIELD_ID: UNKNOWN_FIELD_ID,
      };
      // Asynchronously: the mock and the proxy answer from this very process.
      const args = ['-B', '-q', '-o', `-Dmaven.repo.local=${repository}`, `-Dapikeys.spec=${join(ROOT, 'openapi.yaml')}`, 'test'];
      const result = await run('mvn', args, { cwd: dir, env, encoding: 'utf8', timeout: 200_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, text: `${stdout}${stderr}` }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? -1,
          text: `${error.stdout}${error.stderr}`,
        }),
      );

      // 1. The JUnit suite passed, every test of the file ran.
      expect(result.code, result.text).toBe(0);
      const defined = readFileSync(join(JAVA_DIR, 'ApiKeysClientTest.java'), 'utf8').match(/^\s*@Test$/gm)!.length;
      expect(surefireResults(dir)).toEqual([{ name: 'ApiKeysClientTest', tests: defined, failures: 0, errors: 0, skipped: 0 }]);

      const exchanges = proxy.exchanges;
      expect(exchanges.filter((x) => x.delivered !== undefined)).toHaveLength(1);
      // 1–2. Every operation and status reached; requests and answers as the spec says.
      expectWireFollowsSpec(exchanges, { full, contract });

      // 3. Every answer went through the client's own models: the model the spec names for a
      //    success body, none for 204, ApiException with the status for each error; and the
      //    answer with an unknown field refused by the model's validateJsonElement.
      const log = readFileSync(clientLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ClientLogEntry);
      expect(log.map((entry) => entry.status)).toEqual(exchanges.map((x) => x.response.status));
      exchanges.forEach((exchange, i) => {
        const entry = log[i]!;
        const status = exchange.response.status;
        const where = `${exchange.method} ${exchange.url} -> ${status}`;
        if (exchange.delivered !== undefined) {
          expect(entry, where).toEqual({
            status,
            exception: 'IllegalArgumentException',
            message: expect.stringMatching(
              /^The field `unknownField` in the JSON string is not defined in the `ApiKeyResponse` properties/,
            ),
          });
        } else if (status < 300) {
          expect.soft(entry, where).toEqual({ status, model: responseSchemaName(full, operationOf(full, exchange)!, status) ?? null });
        } else {
          expect.soft(entry, where).toEqual({ status, exception: 'ApiException', exceptionStatus: status });
        }
      });
    },
  );
});
