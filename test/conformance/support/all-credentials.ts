import type { ConformanceOptions } from '../../../contracts/conformance/conformance-options.ts';
import type { RunningMock } from '../../../mock/start-mock.ts';

/** Conformance options with all four credentials of the mock's default seed, aimed at `baseUrl`. */
export function allCredentials(mock: RunningMock, baseUrl: string = mock.url): ConformanceOptions {
  return {
    baseUrl,
    apiKey: mock.devKeys.alice,
    otherApiKey: mock.devKeys.bob,
    adminApiKey: mock.devKeys.admin,
    restrictedApiKey: mock.devKeys.nobody,
    mock: true,
    adminToken: mock.adminToken,
  };
}

/** Everything a client could observe about the stored keys, minus lastUsedAt (authentication itself moves it). */
export function keySnapshot(mock: RunningMock): string {
  const keys = mock.store.allKeys().map(({ lastUsedAt: _ignored, ...key }) => key);
  return JSON.stringify(keys.sort((a, b) => a.apiKeyId.localeCompare(b.apiKeyId)));
}
