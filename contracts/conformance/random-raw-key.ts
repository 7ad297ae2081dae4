import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A well-formed raw key (contracts/CONTRACT.md "Key material", the mock's format: `gm_` + lower-case
 * unpadded base32 of 16 random bytes) that no server has issued.
 */
export function randomRawKey(): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of randomBytes(16)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return `gm_${out}`;
}
