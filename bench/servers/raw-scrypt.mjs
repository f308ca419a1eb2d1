// Baseline for auth.login: a raw node:http server that reads the same JSON body and runs
// scrypt-kdf `verify` at the default ScryptKdfHasher parameters (logN 15, r 8, p 1) per request.
//
//   node servers/raw-scrypt.mjs --port 0 [--logN 15]
import { createServer } from 'node:http';
import { listen, loadScryptKdf, parseArgs, PASSWORD } from '../lib/common.mjs';

const args = parseArgs();
const scryptKdf = await loadScryptKdf();
const key = await scryptKdf.kdf(PASSWORD, { logN: Number(args.logN ?? 15), r: 8, p: 1 });
let requests = 0;

const server = createServer((req, res) => {
  if (req.url === '/__stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ requests: { '/verify': requests } }));
    return;
  }
  requests += 1;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let ok = false;
    try {
      const { password } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      ok = await scryptKdf.verify(key, password);
    } catch {
      ok = false;
    }
    res.statusCode = ok ? 200 : 401;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok }));
  });
});
await listen(server, args.port);
