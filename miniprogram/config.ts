/**
 * Where the Site Steward server is. Set it on the sign-in page (kept in storage) or change the default here
 * before building. In WeChat DevTools, a plain-http loopback server needs "不校验合法域名" (Details → Local
 * settings); a real phone needs the server's https domain in the mini-program's request domain list.
 */
export const DEFAULT_API_BASE = 'http://127.0.0.1:3000';
const API_BASE_KEY = 'steward.apiBase';

export function apiBase(): string {
  const v = wx.getStorageSync(API_BASE_KEY) as unknown;
  return (typeof v === 'string' && v ? v : DEFAULT_API_BASE).replace(/\/+$/, '');
}

export function setApiBase(url: string): void {
  wx.setStorageSync(API_BASE_KEY, url.trim());
}
