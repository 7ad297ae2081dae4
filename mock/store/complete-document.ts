import type { StoreDocument } from './store-document.ts';
import { completeStoredKey } from './stored-key.ts';

/**
 * A loaded document (a snapshot, or the one a reset line holds) as the store
 * keeps it: `deletedIds` filled in where a store written before it has none,
 * each key given the fields the spec added since it was written (null), and
 * each record checked to sit under its own id, which no JSON Schema can
 * say (the store looks keys up by the id they are stored under). Creation
 * numbers are given at replay (number-keys.ts). Throws a message saying what
 * is wrong; the caller names the file.
 */
export function completeDocument(document: StoreDocument): StoreDocument {
  document.deletedIds ??= [];
  // The writer's checksum is about the file, not part of the state (write-snapshot.ts).
  delete (document as { integrity?: unknown }).integrity;
  for (const [id, key] of Object.entries(document.keys)) {
    if (key.apiKeyId !== id) throw new Error(`is not an API keys store: document property keys.${id} holds the key ${key.apiKeyId}`);
    completeStoredKey(key);
  }
  for (const [id, user] of Object.entries(document.users)) {
    if (user.userId !== id) throw new Error(`is not an API keys store: document property users.${id} holds the user ${user.userId}`);
  }
  return document;
}
