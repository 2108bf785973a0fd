/**
 * What a request may present to prove it knows the token, and the constant-time checks. Cookies
 * carry an HMAC keyed by the token, never the token: a leaked cookie does not reveal it, and
 * changing the token logs every browser out.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { RequestHead } from './request-path';

/** The browser's login cookie. */
export const SESSION_COOKIE = 'cnnvis_session';
/** The cookie the stock Visdom client keeps after its login and sends on `/vis_socket`. */
export const VISDOM_COOKIE = 'user_password';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Equal secrets, compared in constant time; hashing first hides the lengths as well. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** The value the login cookies carry for this token. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('cnnvis session v1').digest('base64url');
}

/** What the stock Visdom client sends as its password: the hex SHA-256 of what the user typed. */
export function visdomPasswordHash(password: string): string {
  return sha256(password).toString('hex');
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(req: RequestHead): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Whether the request presents anything that claims to be the token (a bearer token or a login cookie). */
export function presentsCredential(req: RequestHead): boolean {
  if (req.headers.authorization !== undefined) return true;
  const cookies = parseCookies(req.headers.cookie ?? '');
  return cookies[SESSION_COOKIE] !== undefined || cookies[VISDOM_COOKIE] !== undefined;
}

/** Whether the request carries the token, or a login cookie made from it (`session`, from {@link sessionValue}). */
export function presentsToken(req: RequestHead, token: string, session: string): boolean {
  const bearer = bearerToken(req);
  if (bearer !== undefined) return sameSecret(bearer, token);
  const cookies = parseCookies(req.headers.cookie ?? '');
  const given = cookies[SESSION_COOKIE] ?? cookies[VISDOM_COOKIE];
  return given !== undefined && sameSecret(given, session);
}
