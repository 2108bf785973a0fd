/**
 * Refusing to expose an open server by accident: binding beyond loopback
 * without a token lets anyone on the network write, read and upload models.
 * @module
 */
import { isIP } from 'node:net';

/** Hosts only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Why these options may not start, or undefined. */
export function exposureProblem(opts: { host: string; token: string | undefined; insecure: boolean }): string | undefined {
  if (opts.token !== undefined || opts.insecure || isLoopback(opts.host)) return undefined;
  return (
    `refusing to listen on ${opts.host} without a token: anyone who can reach it could read and change every env and run uploaded models. ` +
    'Set --token (or CNNVIS_TOKEN), or pass --insecure if the network is trusted'
  );
}
