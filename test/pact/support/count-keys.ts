import { createApiKeysClient } from '../../../contracts/client/create-api-keys-client.ts';

/** Every key the server holds, as the given LIST_APIKEY_ANY key sees them (ids, sorted). */
export async function allKeyIds(baseUrl: string, adminKey: string): Promise<string[]> {
  const listed = await createApiKeysClient({ baseUrl, apiKey: adminKey }).listApiKeys();
  if (!listed.ok) throw new Error(`listing all keys answered ${listed.status}`);
  return listed.data.keys.map((key) => key.apiKeyId).sort();
}
