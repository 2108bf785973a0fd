/** A worker child for tests that reports the flags it was started with, then exits. */
process.stderr.write(`${JSON.stringify(process.execArgv)}\n`);
process.exit(0);
