import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock } from '../../mock/start-mock.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { toolchain } from '../toolchains/toolchain.ts';
import { operationOf, responseSchemaName } from './support/check-exchange.ts';
import { expectWireFollowsSpec } from './support/expect-wire-follows-spec.ts';
import { recordingProxy } from './support/recording-proxy.ts';

// GoodMem's generated Python SDK (`goodmem-client` on PyPI, pinned in
// test/toolchains/requirements.txt) drives the mock through a recording proxy: the pytest
// file test/sdk/python/test_goodmem_client.py makes every call of the SDK pages, and this
// test holds each exchange it put on the wire against openapi.yaml and against what the SDK
// made of the answer (conftest.py logs the model or exception of every response).
const PYTEST_DIR = fileURLToPath(new URL('./python/', import.meta.url));
const full = loadSpec();
const contract = loadSpec({ layer: 'contract' });
const run = promisify(execFile);

// What the SDK raises for each error status (goodmem_client/exceptions.py `from_response`).
const EXCEPTION_OF: Record<number, string> = {
  400: 'BadRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  409: 'ConflictException',
};

interface SdkLogEntry {
  status: number;
  expected: string | null;
  model?: string | null;
  exception?: string;
  exceptionStatus?: number;
}

describe("GoodMem's Python SDK (goodmem_client) against the mock", () => {
  it(
    'makes every documented call and reaches every documented status; its requests are valid; its models read every answer',
    { timeout: 120_000 },
    async (context) => {
      const { python } = toolchain('python', context);
      const mock = await startMock({ adminToken: 'python-sdk-test' });
      const proxy = await recordingProxy(mock.url);
      context.onTestFinished(async () => {
        await proxy.close();
        await mock.close();
      });
      const dir = tempDir('apikeys-python-sdk-');
      const sdkLog = join(dir, 'sdk-log.jsonl');
      const junit = join(dir, 'junit.xml');
      const env = {
        ...process.env,
        APIKEYS_URL: proxy.url,
        APIKEYS_DEV_KEYS: JSON.stringify(mock.devKeys),
        APIKEYS_SDK_LOG: sdkLog,
        PYTHONDONTWRITEBYTECODE: '1',
      };
      // Asynchronously: the mock and the proxy answer from this very process.
      const result = await run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml', junit, 'test_goodmem_client.py'], {
        cwd: PYTEST_DIR,
        env,
        encoding: 'utf8',
        timeout: 90_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, text: `${stdout}${stderr}` }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? -1,
          text: `${error.stdout}${error.stderr}`,
        }),
      );

      // 1. The pytest suite passed, every test of the file ran.
      expect(result.code, result.text).toBe(0);
      const defined = readFileSync(join(PYTEST_DIR, 'test_goodmem_client.py'), 'utf8').match(/^def test_/gm)!.length;
      const suite = /<testsuite\b[^>]*>/.exec(readFileSync(junit, 'utf8'))![0];
      expect(suite).toContain(` tests="${defined}"`);
      expect(suite).toMatch(/ failures="0"[\s\S]* skipped="0"|skipped="0"[\s\S]* failures="0"/);

      const exchanges = proxy.exchanges;
      // 1–2. Every operation and status reached; requests and answers as the spec says.
      expectWireFollowsSpec(exchanges, { full, contract });

      // 3. Every answer went through the SDK's own models: the model the spec names for a
      //    success body, none for 204, the SDK's own exception class for each error status.
      const log = readFileSync(sdkLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as SdkLogEntry);
      expect(log.map((entry) => entry.status)).toEqual(exchanges.map((x) => x.response.status));
      exchanges.forEach((exchange, i) => {
        const entry = log[i]!;
        const status = exchange.response.status;
        const where = `${exchange.method} ${exchange.url} -> ${status}`;
        if (status < 300) {
          const schema = responseSchemaName(full, operationOf(full, exchange)!, status);
          expect.soft(entry, where).toEqual({ status, expected: schema ?? null, model: schema ?? null });
        } else {
          expect.soft(entry, where).toEqual({ status, expected: null, exception: EXCEPTION_OF[status], exceptionStatus: status });
        }
      });
    },
  );
});
