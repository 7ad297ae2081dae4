import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { STORED_ONLY_FIELDS } from '../../mock/store/stored-key.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { testMock } from '../support/running-mock.ts';

// The field list comes from openapi.yaml, never from the code under test: a field added
// to ApiKeyResponse that any layer drops (or a stored-only field that leaks) fails here.
const schema = loadSpec({ layer: 'contract' }).document.components.schemas.ApiKeyResponse as {
  properties: Record<string, unknown>;
  required: string[];
};
const FIELDS = Object.keys(schema.properties).sort();
const STORED_FIELDS = [...FIELDS, ...STORED_ONLY_FIELDS].sort();
const fieldsOf = (value: unknown) => Object.keys(value as object).sort();
const PACTS = join(import.meta.dirname, '../../pacts');

describe("every field of openapi.yaml's ApiKeyResponse reaches every layer", () => {
  it('the service: a created, updated and listed key holds every field and nothing stored-only', async () => {
    const { service } = await testMock();
    const alice = service.authenticate(DEV_KEYS.alice);
    const created = await service.createKey(alice, { labels: { layer: 'service' } });
    expect(fieldsOf(created.apiKeyMetadata)).toEqual(FIELDS);
    const updated = await service.updateKey(alice, created.apiKeyMetadata.apiKeyId, { status: 'INACTIVE' });
    expect(fieldsOf(updated)).toEqual(FIELDS);
    for (const key of JSON.parse(service.listKeysJson(alice)).keys) expect(fieldsOf(key)).toEqual(FIELDS);
  });

  it('the HTTP responses of create, list and update', async () => {
    const { app } = await testMock();
    const created = await request(app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).send({}).expect(201);
    expect(fieldsOf(created.body.apiKeyMetadata)).toEqual(FIELDS);
    const id = created.body.apiKeyMetadata.apiKeyId;
    const updated = await request(app)
      .put(`/v1/apikeys/${id}`)
      .set('x-api-key', DEV_KEYS.alice)
      .send({ mergeLabels: { a: 'b' } });
    expect(fieldsOf(updated.body)).toEqual(FIELDS);
    const listed = await request(app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.admin).expect(200);
    expect(listed.body.keys.length).toBeGreaterThan(1);
    for (const key of listed.body.keys) expect(fieldsOf(key)).toEqual(FIELDS);
  });

  it('the store: every field and the stored-only ones through the journal, the snapshot and a restart', async () => {
    const dbPath = join(tempDir(), 'db.json');
    const mock = await createMock({ dbPath, logLevel: 'silent' });
    const res = await request(mock.app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).send({}).expect(201);
    const id: string = res.body.apiKeyMetadata.apiKeyId;
    const fromJournal = loadStore(dbPath);
    expect(fromJournal.journals.length, 'the key is in the journal, not yet in the snapshot').toBe(1);
    expect(fieldsOf(fromJournal.document!.keys[id])).toEqual(STORED_FIELDS);
    await mock.store.close();
    const fromSnapshot = loadStore(dbPath);
    expect(fromSnapshot.journals, 'folded into the snapshot').toEqual([]);
    for (const key of Object.values(fromSnapshot.document!.keys)) expect(fieldsOf(key)).toEqual(STORED_FIELDS);
    const restarted = await createMock({ dbPath, logLevel: 'silent' });
    expect(fieldsOf(restarted.store.keyById(id))).toEqual(STORED_FIELDS);
    await restarted.store.close();
  });

  it('the pacts: every ApiKeyResponse in pacts/ admits every field (and no stored-only one) and holds every required one', () => {
    let checked = 0;
    for (const file of readdirSync(PACTS).filter((name) => name.endsWith('.json'))) {
      const pact = JSON.parse(readFileSync(join(PACTS, file), 'utf8')) as { interactions: Interaction[] };
      for (const interaction of pact.interactions) {
        const rules = interaction.response.matchingRules?.body ?? {};
        for (const [path, rule] of Object.entries(rules)) {
          const objects = at(interaction.response.body?.content, path).filter(
            (value) => typeof value === 'object' && value !== null && 'apiKeyId' in value,
          );
          if (objects.length === 0) continue;
          const what = `${file} "${interaction.description}" ${path}`;
          const eachKey = rule.matchers.find((m) => m.match === 'eachKey')?.rules?.[0]?.regex;
          expect(eachKey, `${what}: names the fields an ApiKeyResponse may have`).toBeDefined();
          for (const field of FIELDS) expect(new RegExp(eachKey!).test(field), `${what} admits ${field}`).toBe(true);
          for (const field of STORED_ONLY_FIELDS) expect(new RegExp(eachKey!).test(field), `${what} refuses ${field}`).toBe(false);
          for (const object of objects)
            expect(fieldsOf(object), `${what} holds every required field`).toEqual(expect.arrayContaining(schema.required));
          checked += 1;
        }
      }
    }
    expect(checked, 'the pacts hold ApiKeyResponse bodies').toBeGreaterThan(5);
  });
});

interface Interaction {
  description: string;
  response: {
    body?: { content?: unknown };
    matchingRules?: { body?: Record<string, { matchers: { match: string; rules?: { regex?: string }[] }[] }> };
  };
}

/** The values a Pact body path (`$`, `$.apiKeyMetadata`, `$.keys[*]`) names in `content`. */
function at(content: unknown, path: string): unknown[] {
  let values = [content];
  for (const part of path.replace(/^\$/, '').match(/\.[^.[]+|\[\*\]/g) ?? []) {
    values =
      part === '[*]'
        ? values.flatMap((value) => (Array.isArray(value) ? value : []))
        : values.map((value) => (value as Record<string, unknown> | undefined)?.[part.slice(1)]);
  }
  return values;
}
