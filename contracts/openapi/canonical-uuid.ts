/**
 * The UUID an id spells, in canonical lower-case 8-4-4-4-12 form: 32 hex digits
 * in any case with hyphens only between digits, every hyphen dropped (as the 2025
 * GoodMem server reads an id, contracts/CONTRACT.md "Ids"); null for anything else.
 * Which of those forms a server accepts is for the schema to say (UuidInput: the
 * contract takes them all, the mock all four hyphens or none); this only reads
 * the digits of one it accepted. Shared by the mock (path ids, a client-chosen
 * `apiKeyId`) and the conformance suite (its ledger of created keys).
 *
 * @example
 * canonicalUuid('550E8400E29B41D4A716446655440000'); // '550e8400-e29b-41d4-a716-446655440000'
 * canonicalUuid('not-a-uuid'); // null
 */
export function canonicalUuid(text: string): string | null {
  if (!/^[0-9a-fA-F](?:-?[0-9a-fA-F]){31}$/.test(text)) return null;
  const hex = text.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
