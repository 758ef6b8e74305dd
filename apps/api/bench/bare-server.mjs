// The baseline of `npm run bench:resolve`: a bare node:http server answering a fixed JSON body: the body
// /resolve just gave (BARE_BODY), byte for byte, else one the size of a /resolve answer. Port from argv;
// prints "listening" once ready.
import http from 'node:http';

const body =
  process.env.BARE_BODY ??
  JSON.stringify({
    allowed: true,
    reason: 'exact-match',
    matchedPattern: 'https://app-1.bench.example',
    tenant: 'bench',
    mode: 'enforce',
    policyVersion: 2,
    preflight: false,
    headers: {
      'access-control-allow-origin': 'https://app-1.bench.example',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    },
    cacheTtlSeconds: 30,
  });
const port = Number(process.argv[2]);
http
  .createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  })
  .listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
