import { createHash, randomBytes } from 'node:crypto';

// contracts/CONTRACT.md "Key material" (mock's choice): `gm_` + lower-case unpadded base32 (RFC 4648
// alphabet) of 16 random bytes; only the SHA3-256 of the 16 bytes is stored.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_BYTES = 16;
export const RAW_KEY_PREFIX = 'gm_';
export const RAW_KEY_PATTERN = /^gm_[a-z2-7]{26}$/;
export const DISPLAY_PREFIX_LENGTH = 8;

export interface KeyMaterial {
  rawKey: string;
  keyHash: string;
  keyPrefix: string;
}

/** Lower-case, unpadded RFC 4648 base32. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes lower-case unpadded base32; null when a character is outside the alphabet. */
export function base32Decode(text: string): Uint8Array | null {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

export function sha3Hex(bytes: Uint8Array): string {
  return createHash('sha3-256').update(bytes).digest('hex');
}

/** Fresh key material from a cryptographically secure generator. */
export function generateKeyMaterial(random: (size: number) => Uint8Array = randomBytes): KeyMaterial {
  return materialFromBytes(random(KEY_BYTES));
}

export function materialFromBytes(bytes: Uint8Array): KeyMaterial {
  const rawKey = RAW_KEY_PREFIX + base32Encode(bytes);
  return { rawKey, keyHash: sha3Hex(bytes), keyPrefix: rawKey.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/**
 * The hash a presented key would be stored under, or null when the text cannot
 * be a key at all (wrong shape, or a non-canonical encoding whose unused low
 * bits are set: two spellings must never name one key).
 */
export function hashOfRawKey(rawKey: string): string | null {
  if (!RAW_KEY_PATTERN.test(rawKey)) return null;
  const bytes = base32Decode(rawKey.slice(RAW_KEY_PREFIX.length));
  if (!bytes || bytes.length !== KEY_BYTES || RAW_KEY_PREFIX + base32Encode(bytes) !== rawKey) return null;
  return sha3Hex(bytes);
}
