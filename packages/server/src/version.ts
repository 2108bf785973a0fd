/** The server's version, from its package.json. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- JSON import that works from src and dist alike
export const VERSION: string = (require('../package.json') as { version: string }).version;
