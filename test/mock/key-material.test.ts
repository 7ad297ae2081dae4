import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateKeyMaterial, hashOfRawKey, sha3Hex } from '../../mock/service/key-material.ts';

describe('key material', () => {
  it('hashes with SHA3-256 (FIPS 202 known answer for "abc")', () => {
    expect(sha3Hex(new TextEncoder().encode('abc'))).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });

  it('encodes RFC 4648 base32 in lower case without padding (test vectors)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(base32Decode(encoded)!)).toBe(plain);
    }
  });

  it('makes gm_ keys of 29 characters whose prefix is the first 8 and whose hash is of the 16 raw bytes', () => {
    const bytes = new Uint8Array(16).fill(7);
    const material = generateKeyMaterial(() => bytes);
    expect(material.rawKey).toMatch(/^gm_[a-z2-7]{26}$/);
    expect(material.keyPrefix).toBe(material.rawKey.slice(0, 8));
    expect(material.keyHash).toBe(sha3Hex(bytes));
    expect(hashOfRawKey(material.rawKey)).toBe(material.keyHash);
  });

  it('does not accept a non-canonical spelling of a key (unused low bits set)', () => {
    const { rawKey } = generateKeyMaterial(() => new Uint8Array(16));
    expect(rawKey).toBe('gm_aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(hashOfRawKey('gm_aaaaaaaaaaaaaaaaaaaaaaaaab')).toBeNull();
  });

  it.each([
    '',
    'gm_',
    'GM_AAAAAAAAAAAAAAAAAAAAAAAAAA',
    'gm_aaaaaaaaaaaaaaaaaaaaaaaaa1',
    'xx_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    'gm_aaaaaaaaaaaaaaaaaaaaaaaaaaa1',
    'gm_aaaa aaaa',
  ])('rejects %j as a key', (text) => expect(hashOfRawKey(text)).toBeNull());

  it('makes keys of a configured length from random base32 characters, hashed by their text, with a prefix of the configured length', () => {
    const lengths = { rawKeyLength: 52, keyPrefixLength: 12 };
    const material = generateKeyMaterial((size) => Uint8Array.from({ length: size }, (_, i) => i * 7), lengths);
    expect(material.rawKey).toMatch(/^gm_[a-z2-7]{49}$/);
    expect(material.keyPrefix).toBe(material.rawKey.slice(0, 12));
    expect(hashOfRawKey(material.rawKey)).toBe(material.keyHash);
    // A key one character longer or shorter is another key.
    expect(hashOfRawKey(`${material.rawKey}a`)).not.toBe(material.keyHash);
    expect(hashOfRawKey(material.rawKey.slice(0, -1))).not.toBe(material.keyHash);
  });

  it('never hashes a key of another length like a key of the default length (so no text names a key it was not issued as)', () => {
    // The 16 bytes of a default-length key that happen to spell a 16-character key of another length.
    const text = 'gm_abcdefghijklm';
    const bytes = new TextEncoder().encode(text);
    expect(bytes).toHaveLength(16);
    expect(hashOfRawKey(text)).not.toBe(generateKeyMaterial(() => bytes).keyHash);
  });

  it('keeps the display prefix shorter than the key, whatever length is asked for', () => {
    const material = generateKeyMaterial((size) => new Uint8Array(size), { rawKeyLength: 6, keyPrefixLength: 8 });
    expect(material.rawKey).toBe('gm_aaa');
    expect(material.keyPrefix).toBe('gm_aa');
  });
});
