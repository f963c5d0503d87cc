import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/** `msg_signature` as WeCom computes it: SHA1 over the sorted token, timestamp, nonce and ciphertext. */
export function signatureOf(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

/** Compares in constant time, so the signature cannot be guessed byte by byte from response timings. */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, given: string): boolean {
  const expected = Buffer.from(signatureOf(token, timestamp, nonce, encrypted), 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Decrypts a WeCom ciphertext; undefined when it is not one of ours (bad base64, bad padding, a length
 * field pointing outside the plaintext). @wecom/crypto does not check those itself.
 */
export function openEnvelope(aesKey: string, encrypted: string): { message: string; receiveId: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) return undefined;
  try {
    const raw = Buffer.from(encrypted, 'base64');
    if (raw.length < 32 || raw.length % 16 !== 0) return undefined;
    const { message, id } = decrypt(aesKey, encrypted);
    return { message, receiveId: id };
  } catch {
    return undefined;
  }
}

/** Encrypts a plaintext for WeCom (passive replies, and the fake server's callbacks). */
export function sealEnvelope(aesKey: string, message: string, receiveId: string): string {
  return encrypt(aesKey, message, receiveId);
}
