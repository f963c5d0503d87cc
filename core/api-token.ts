/** Every REST API token starts with this, so a leaked one is recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = 'sst_';

/** `sst_` + 32 random bytes in base64url (43 characters): anything else is not ours and skips the database. */
const TOKEN_SHAPE = /^sst_[A-Za-z0-9_-]{43}$/;

/** Whether a string has the shape of one of our tokens (so an operator may paste a leaked one to revoke it). */
export const isApiTokenShaped = (s: string): boolean => TOKEN_SHAPE.test(s);
