const D = require('better-sqlite3'); const fs = require('fs');
function run(label, setup, n = 20000) {
  fs.rmSync('/tmp/sq', { recursive: true, force: true }); fs.mkdirSync('/tmp/sq');
  const db = new D('/tmp/sq/x.db'); db.pragma('journal_mode=WAL'); db.pragma(`synchronous=${process.env.SYNC||'NORMAL'}`);
  const step = setup(db);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) step(i);
  console.log(label, (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(1), 'µs/op');
  db.close();
}
run('current: chunk rowid+index, bump rev, tx per call', (db) => {
  db.exec(`CREATE TABLE w (env TEXT, id TEXT, rev INT, upd INT, PRIMARY KEY(env,id)) WITHOUT ROWID; CREATE TABLE c (id INTEGER PRIMARY KEY, env, win, trace, xs, ys); CREATE INDEX ci ON c(env,win,trace,id); INSERT INTO w VALUES ('e','w',0,0)`);
  const ins = db.prepare('INSERT INTO c (env,win,trace,xs,ys) VALUES (?,?,?,?,?)'); const bump = db.prepare('UPDATE w SET rev=rev+1, upd=? WHERE env=? AND id=? RETURNING rev');
  const head = db.prepare('SELECT rev FROM w WHERE env=? AND id=?');
  return (i) => db.transaction(() => { head.get('e','w'); ins.run('e','w','train',`[${i}]`,`[${i}]`); bump.get(Date.now(),'e','w'); })();
});
run('same, transaction fn made once', (db) => {
  db.exec(`CREATE TABLE w (env TEXT, id TEXT, rev INT, upd INT, PRIMARY KEY(env,id)) WITHOUT ROWID; CREATE TABLE c (id INTEGER PRIMARY KEY, env, win, trace, xs, ys); CREATE INDEX ci ON c(env,win,trace,id); INSERT INTO w VALUES ('e','w',0,0)`);
  const ins = db.prepare('INSERT INTO c (env,win,trace,xs,ys) VALUES (?,?,?,?,?)'); const bump = db.prepare('UPDATE w SET rev=rev+1, upd=? WHERE env=? AND id=? RETURNING rev');
  const head = db.prepare('SELECT rev FROM w WHERE env=? AND id=?');
  const tx = db.transaction((i) => { head.get('e','w'); ins.run('e','w','train',`[${i}]`,`[${i}]`); bump.get(Date.now(),'e','w'); });
  return (i) => tx(i);
});
run('chunks WITHOUT ROWID keyed (env,win,rev), tx once', (db) => {
  db.exec(`CREATE TABLE w (env TEXT, id TEXT, rev INT, upd INT, PRIMARY KEY(env,id)) WITHOUT ROWID; CREATE TABLE c (env, win, seq INT, trace, xs, ys, PRIMARY KEY(env,win,seq)) WITHOUT ROWID; INSERT INTO w VALUES ('e','w',0,0)`);
  const ins = db.prepare('INSERT INTO c (env,win,seq,trace,xs,ys) VALUES (?,?,?,?,?,?)'); const bump = db.prepare('UPDATE w SET rev=rev+1, upd=? WHERE env=? AND id=? RETURNING rev');
  const tx = db.transaction((i) => { const { rev } = bump.get(Date.now(),'e','w'); ins.run('e','w',rev,'train',`[${i}]`,`[${i}]`); });
  return (i) => tx(i);
});
run('no transaction: single insert autocommit', (db) => {
  db.exec(`CREATE TABLE c (env, win, seq INT, trace, xs, ys, PRIMARY KEY(env,win,seq)) WITHOUT ROWID;`);
  const ins = db.prepare('INSERT INTO c (env,win,seq,trace,xs,ys) VALUES (?,?,?,?,?,?)');
  return (i) => ins.run('e','w',i,'train',`[${i}]`,`[${i}]`);
});
for (const ckpt of [1000, 10000]) run(`rowid+index, tx once, checkpoint ${ckpt}`, (db) => {
  db.pragma(`wal_autocheckpoint=${ckpt}`);
  db.exec(`CREATE TABLE w (env TEXT, id TEXT, rev INT, upd INT, PRIMARY KEY(env,id)) WITHOUT ROWID; CREATE TABLE c (id INTEGER PRIMARY KEY, env, win, trace, xs, ys); CREATE INDEX ci ON c(env,win,trace,id); INSERT INTO w VALUES ('e','w',0,0)`);
  const ins = db.prepare('INSERT INTO c (env,win,trace,xs,ys) VALUES (?,?,?,?,?)'); const bump = db.prepare('UPDATE w SET rev=rev+1, upd=? WHERE env=? AND id=? RETURNING rev');
  const head = db.prepare('SELECT rev FROM w WHERE env=? AND id=?');
  const tx = db.transaction((i) => { head.get('e','w'); ins.run('e','w','train',`[${i}]`,`[${i}]`); bump.get(Date.now(),'e','w'); });
  return (i) => tx(i);
}, 40000);
for (const ckpt of [1000, 10000]) run(`no-rowid chunks, tx once, checkpoint ${ckpt}`, (db) => {
  db.pragma(`wal_autocheckpoint=${ckpt}`);
  db.exec(`CREATE TABLE w (env TEXT, id TEXT, rev INT, upd INT, PRIMARY KEY(env,id)) WITHOUT ROWID; CREATE TABLE c (env, win, seq INT, trace, xs, ys, PRIMARY KEY(env,win,seq)) WITHOUT ROWID; INSERT INTO w VALUES ('e','w',0,0)`);
  const ins = db.prepare('INSERT INTO c (env,win,seq,trace,xs,ys) VALUES (?,?,?,?,?,?)'); const bump = db.prepare('UPDATE w SET rev=rev+1, upd=? WHERE env=? AND id=? RETURNING rev');
  const tx = db.transaction((i) => { const { rev } = bump.get(Date.now(),'e','w'); ins.run('e','w',rev,'train',`[${i}]`,`[${i}]`); });
  return (i) => tx(i);
}, 40000);
