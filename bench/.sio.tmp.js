const { spawn } = require('child_process');
if (process.argv[2] === 'server') {
  const http = require('http').createServer();
  const { Server } = require('socket.io');
  const io = new Server(http, { serveClient: false });
  io.on('connection', (s) => s.on('x', (p, ack) => ack({ data: { ok: true } })));
  http.listen(0, '127.0.0.1', () => console.log(http.address().port)); process.on('SIGTERM', () => process.exit(0));
} else {
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', __filename, 'server'], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.once('data', async (d) => {
    const { io } = require('socket.io-client');
    const s = io(`http://127.0.0.1:${String(d).trim()}`, { transports: ['websocket'], perMessageDeflate: false });
    await new Promise((r) => s.once('connect', r));
    const msg = { env: 'bench', win: 'a', op: { type: 'append', traces: [{ name: 'train', x: [1], y: [0.5] }] } };
    for (let run = 0; run < 4; run++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < 5000; i++) await s.emitWithAck('x', msg);
      console.log('emitWithAck', Math.round(5000 / (Number(process.hrtime.bigint() - t) / 1e9)));
      t = process.hrtime.bigint();
      for (let i = 0; i < 5000; i++) await new Promise((r) => s.emit('x', msg, r));
      console.log('emit+cb', Math.round(5000 / (Number(process.hrtime.bigint() - t) / 1e9)));
    }
    s.close(); child.kill();
  });
}
