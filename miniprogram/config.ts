/**
 * Where the Site Steward server is: the build writes it here from `STEWARD_MP_API_BASE`
 * (scripts/build-miniprogram.ts), so the sign-in page asks nobody for it. A developer may still point one
 * device elsewhere through the hidden developer setting (a long press on the sign-in title), kept in storage.
 * In WeChat DevTools, a plain-http loopback server needs "不校验合法域名" (Details → Local settings); a real
 * phone needs the server's https domain in the mini-program's request domain list.
 */
export const BUILD_API_BASE = 'http://127.0.0.1:3000';
/** Kept for old imports: the build's address. */
export const DEFAULT_API_BASE = BUILD_API_BASE;
const API_BASE_KEY = 'steward.apiBase';

export function apiBase(): string {
  const v = wx.getStorageSync(API_BASE_KEY) as unknown;
  return (typeof v === 'string' && v ? v : BUILD_API_BASE).replace(/\/+$/, '');
}

/** The developer override; an empty value goes back to the build's address. */
export function setApiBase(url: string): void {
  if (url.trim()) wx.setStorageSync(API_BASE_KEY, url.trim());
  else wx.removeStorageSync(API_BASE_KEY);
}
