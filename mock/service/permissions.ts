// contracts/CONTRACT.md "Permissions": ROOT and ADMIN hold every permission, USER the
// _OWN ones; an explicit permission list replaces the role's.
export const PERMISSIONS = [
  'CREATE_APIKEY_OWN',
  'CREATE_APIKEY_ANY',
  'LIST_APIKEY_OWN',
  'LIST_APIKEY_ANY',
  'UPDATE_APIKEY_OWN',
  'UPDATE_APIKEY_ANY',
  'DELETE_APIKEY_OWN',
  'DELETE_APIKEY_ANY',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['ROOT', 'ADMIN', 'USER'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ROOT: PERMISSIONS,
  ADMIN: PERMISSIONS,
  USER: PERMISSIONS.filter((p) => p.endsWith('_OWN')),
};

export function permissionsOf(user: { role: Role; permissions?: readonly Permission[] | null }): ReadonlySet<Permission> {
  return new Set(user.permissions ?? ROLE_PERMISSIONS[user.role]);
}

export type Action = 'CREATE' | 'LIST' | 'UPDATE' | 'DELETE';

/** Which scope of an action the holder may use: any user's keys, only own keys, or none. */
export function scopeOf(granted: ReadonlySet<Permission>, action: Action): 'ANY' | 'OWN' | null {
  if (granted.has(`${action}_APIKEY_ANY`)) return 'ANY';
  if (granted.has(`${action}_APIKEY_OWN`)) return 'OWN';
  return null;
}
