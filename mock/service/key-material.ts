import { createHash, randomBytes } from 'node:crypto';

// contracts/CONTRACT.md "Key material" (mock's choice): `gm_` + lower-case unpadded base32 (RFC 4648
// alphabet) of 16 random bytes; only the SHA3-256 of the 16 bytes is stored. The length of the raw
// key and of its display prefix are legal choices (server-choices.ts rawKeyLength, keyPrefixLength).
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_BYTES = 16;
export const RAW_KEY_PREFIX = 'gm_';
/** A raw key of the default length: the seed's dev keys are of this form. */
export const RAW_KEY_PATTERN = /^gm_[a-z2-7]{26}$/;
/** Anything that may be a raw key of any configured length, e.g. in a URL that is about to be logged. */
export const ANY_RAW_KEY_IN_TEXT = /gm_[a-z2-7]+/gi;
/** gm_ and the base32 of 16 bytes: 29 characters. */
export const DEFAULT_RAW_KEY_LENGTH = RAW_KEY_PREFIX.length + Math.ceil((KEY_BYTES * 8) / 5);
export const DISPLAY_PREFIX_LENGTH = 8;
const ANY_LENGTH_KEY = /^gm_[a-z2-7]+$/;

export interface KeyMaterial {
  rawKey: string;
  keyHash: string;
  keyPrefix: string;
}

/** How long a raw key and its display prefix are (the mock's choices rawKeyLength and keyPrefixLength). */
export interface KeyLengths {
  rawKeyLength: number;
  keyPrefixLength: number;
}

const DEFAULT_LENGTHS: KeyLengths = { rawKeyLength: DEFAULT_RAW_KEY_LENGTH, keyPrefixLength: DISPLAY_PREFIX_LENGTH };

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

/** The display prefix of a raw key: its first `length` characters, always shorter than the key (contract). */
export function displayPrefix(rawKey: string, length: number = DISPLAY_PREFIX_LENGTH): string {
  return rawKey.slice(0, Math.min(length, rawKey.length - 1));
}

/**
 * Fresh key material from a cryptographically secure generator. At the default
 * length: `gm_` + base32 of 16 random bytes, stored as the SHA3-256 of the bytes.
 * At any other length (a deployment configured otherwise): `gm_` + that many
 * random base32 characters (5 random bits each), stored as the SHA3-256 of the
 * raw key's text. Which scheme applies is a function of the length alone, so
 * `hashOfRawKey` finds either kind, whatever the mock is configured with now.
 */
export function generateKeyMaterial(
  random: (size: number) => Uint8Array = randomBytes,
  lengths: KeyLengths = DEFAULT_LENGTHS,
): KeyMaterial {
  if (lengths.rawKeyLength === DEFAULT_RAW_KEY_LENGTH) return materialFromBytes(random(KEY_BYTES), lengths.keyPrefixLength);
  const characters = Array.from(random(lengths.rawKeyLength - RAW_KEY_PREFIX.length), (byte) => ALPHABET[byte & 31]).join('');
  const rawKey = RAW_KEY_PREFIX + characters;
  return { rawKey, keyHash: textHash(rawKey), keyPrefix: displayPrefix(rawKey, lengths.keyPrefixLength) };
}

export function materialFromBytes(bytes: Uint8Array, keyPrefixLength: number = DISPLAY_PREFIX_LENGTH): KeyMaterial {
  const rawKey = RAW_KEY_PREFIX + base32Encode(bytes);
  return { rawKey, keyHash: sha3Hex(bytes), keyPrefix: displayPrefix(rawKey, keyPrefixLength) };
}

/**
 * The hash a presented key would be stored under, or null when the text cannot
 * be a key at all (wrong shape, or, at the default length, a non-canonical
 * encoding whose unused low bits are set: two spellings must never name one key).
 */
export function hashOfRawKey(rawKey: string): string | null {
  if (rawKey.length !== DEFAULT_RAW_KEY_LENGTH) return ANY_LENGTH_KEY.test(rawKey) ? textHash(rawKey) : null;
  if (!RAW_KEY_PATTERN.test(rawKey)) return null;
  const bytes = base32Decode(rawKey.slice(RAW_KEY_PREFIX.length));
  if (!bytes || bytes.length !== KEY_BYTES || RAW_KEY_PREFIX + base32Encode(bytes) !== rawKey) return null;
  return sha3Hex(bytes);
}

// The hashed text is always longer than 16 bytes, so it can never equal the 16 bytes of a
// default-length key: no key of one kind can hash like a key of the other.
const TEXT_HASH_SUFFIX = '\napikeys-mock raw key text';
function textHash(rawKey: string): string {
  return createHash('sha3-256')
    .update(rawKey + TEXT_HASH_SUFFIX, 'utf8')
    .digest('hex');
}
