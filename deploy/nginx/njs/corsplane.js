// nginx njs handlers: CORS for an upstream application, decided by corsplane's GET /resolve (which answers the
// decision as JSON: { allowed, status, headers, ... }). Used by deploy/nginx/auth-request.conf, server "today".
//
// preflight(r): answers an OPTIONS preflight itself, with the status and headers corsplane returns.
// actual(r):    asks corsplane, keeps the CORS headers in js_var variables, then hands the request to @app,
//               whose add_header lines copy them onto the application's response.

const CORS_VARS = {
  'access-control-allow-origin': 'cors_allow_origin',
  'access-control-allow-credentials': 'cors_allow_credentials',
  'access-control-expose-headers': 'cors_expose_headers',
  vary: 'cors_vary',
};

function resolveArgs(r, preflight) {
  const a = ['origin=' + encodeURIComponent(r.headersIn['Origin'] || '')];
  if (preflight) {
    a.push('method=' + encodeURIComponent(r.headersIn['Access-Control-Request-Method'] || ''));
    const h = r.headersIn['Access-Control-Request-Headers'];
    if (h) a.push('headers=' + encodeURIComponent(h));
    if (r.headersIn['Access-Control-Request-Private-Network'] === 'true')
      a.push('privateNetwork=true');
  }
  return a.join('&');
}

async function decide(r, preflight) {
  // /_corsplane_resolve is an internal location that proxies to corsplane's /resolve with the key.
  const reply = await r.subrequest('/_corsplane_resolve', { args: resolveArgs(r, preflight) });
  if (reply.status !== 200) {
    r.error(`corsplane /resolve answered ${reply.status}: ${reply.responseText}`);
    return null; // fail closed: no CORS headers
  }
  return JSON.parse(reply.responseText);
}

async function preflight(r) {
  let d = null;
  try {
    d = await decide(r, true);
  } catch (e) {
    r.error(`corsplane: ${e}`);
  }
  if (!d) {
    r.headersOut['Vary'] = 'Origin';
    r.return(403);
    return;
  }
  for (const name in d.headers) r.headersOut[name] = d.headers[name];
  r.return(d.status || (d.allowed ? 204 : 403));
}

async function actual(r) {
  if (r.headersIn['Origin']) {
    try {
      const d = await decide(r, false);
      if (d)
        for (const name in CORS_VARS)
          if (d.headers[name] !== undefined) r.variables[CORS_VARS[name]] = d.headers[name];
    } catch (e) {
      r.error(`corsplane: ${e}`);
    }
  }
  r.internalRedirect('@app');
}

export default { preflight, actual };
