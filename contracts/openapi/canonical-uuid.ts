/**
 * A UUID written any way contracts/CONTRACT.md "Ids" allows (32 hex digits,
 * with all four hyphens or none, any case) in canonical lower-case
 * 8-4-4-4-12 form; null for anything else. Shared by the mock (a client-chosen
 * `apiKeyId`) and the conformance suite (its ledger of created keys).
 *
 * @example
 * canonicalUuid('550E8400E29B41D4A716446655440000'); // '550e8400-e29b-41d4-a716-446655440000'
 * canonicalUuid('not-a-uuid'); // null
 */
export function canonicalUuid(text: string): string | null {
  if (!/^[0-9a-fA-F]{8}(-?)[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{12}$/.test(text)) return null;
  const hex = text.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
