/** Where mini-program binding codes are kept (store/mp-auth.repo.ts; wired in lib/services.ts): one-time, hashed, short-lived. */
export interface MpBindingCodes {
  issue(userid: string, now: Date): Promise<{ code: string; expiresAt: Date }>;
}
