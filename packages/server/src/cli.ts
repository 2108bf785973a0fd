/**
 * The `cnnvis-server` command: the only place that reads flags and the
 * environment and that owns the process (signals, exit codes).
 * @module
 */
import { parseCli, usage, UsageError } from './cli-args';
import { createServer } from './create-server';
import { VERSION } from './version';

export async function main(argv: string[]): Promise<void> {
  let command;
  try {
    command = parseCli(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cnnvis-server: ${err.message}\nRun cnnvis-server --help for the options.\n`);
    process.exit(2);
  }
  if (command.kind === 'help') return void process.stdout.write(usage());
  if (command.kind === 'version') return void process.stdout.write(`${VERSION}\n`);

  let server;
  try {
    server = await createServer(command.options);
  } catch (err) {
    process.stderr.write(`cnnvis-server: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const { options } = server;
  process.stderr.write(`cnnvis-server ${VERSION} listening on ${server.url} (data: ${options.dataDir})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`cnnvis-server: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`cnnvis-server: ${signal} received, shutting down\n`);
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
