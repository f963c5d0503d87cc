/**
 * What the binding commands need from storage: one-time codes that tie a Wechaty contact to a registry user,
 * and rooms bound to units (store/wechaty-binding.ts; wired in lib/services.ts).
 */
export interface WechatyBindingPort {
  /** A fresh single-use code for `userid`, valid until `expiresAt`; older unused codes of the user stop working. */
  issueCode(userid: string, now: Date): Promise<{ code: string; expiresAt: Date }>;
  roomBinding(roomId: string): Promise<{ unitCode: string } | undefined>;
  bindRoom(binding: { roomId: string; unitCode: string; topic?: string; boundBy: string; at: Date }): Promise<void>;
}
