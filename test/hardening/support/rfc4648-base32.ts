// An independent oracle for the key format (contracts/CONTRACT.md "Key material"):
// RFC 4648 §6 base32, lower-case, without padding. Written from the RFC, not
// from mock/, so that a bug shared by both cannot hide.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function base32(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += ALPHABET[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}
