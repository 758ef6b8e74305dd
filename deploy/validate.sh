#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (CI runs it from .ci/run):
#  1. the Dockerfile copies every workspace's package.json before `npm ci` (else npm ci fails in the image);
#  2. docker-compose.yml is valid: Debian's docker-compose (v1.29, Python) parses it, checks it against its
#     Compose schema and resolves anchors and ${VAR} defaults: with no .env, and with deploy/compose.env.example;
#  3. deploy/nginx/nginx.conf (the load balancer) and auth-request.conf (gateway example) pass
#     `nginx -t`, in a temporary copy where upstream host names are 127.0.0.1 and /etc/nginx/ is that copy;
#  4. deploy/caddy/Caddyfile passes `caddy validate`;
#  5. deploy/envoy/envoy.yaml is well-formed YAML.
# Installs docker-compose, nginx and caddy from Debian when missing (root, apt).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-compose >/dev/null || need+=(docker-compose)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v caddy >/dev/null || need+=(caddy)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "deploy: Dockerfile copies every workspace manifest"
node -e '
  const fs = require("fs"), path = require("path");
  const dockerfile = fs.readFileSync("Dockerfile", "utf8");
  const dirs = require("./package.json").workspaces.flatMap((w) => {
    const base = w.replace(/\/\*$/, "");
    return fs.readdirSync(base).map((d) => path.posix.join(base, d)).filter((d) => fs.existsSync(path.join(d, "package.json")));
  });
  const missing = dirs.filter((d) => !dockerfile.includes(`COPY ${d}/package.json ${d}/`));
  if (missing.length) { console.error(`Dockerfile: add "COPY <dir>/package.json <dir>/" for: ${missing.join(", ")}`); process.exit(1); }
'

echo "deploy: docker-compose config ($(docker-compose version --short))"
env -u COMPOSE_FILE docker-compose -f docker-compose.yml config -q
env -u COMPOSE_FILE docker-compose -f docker-compose.yml --env-file deploy/compose.env.example config -q
services=$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')
[ "$services" = "api-1 api-2 lb migrate postgres " ] || { echo "unexpected services: $services" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r deploy/nginx/. "$tmp/"
for conf in nginx.conf auth-request.conf; do
  echo "deploy: nginx -t deploy/nginx/$conf"
  sed -E -e 's/\b(api-[0-9]+|corsplane|app-backend):([0-9]+)/127.0.0.1:\2/g' -e "s|/etc/nginx/|$tmp/|g" \
    "deploy/nginx/$conf" > "$tmp/$conf"
  /usr/sbin/nginx -q -t -p "$tmp" -c "$tmp/$conf"
done

echo "deploy: caddy validate deploy/caddy/Caddyfile"
CORSPLANE_KEY=cpk_live_validate HOME="$tmp" XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" \
  caddy validate --config deploy/caddy/Caddyfile --adapter caddyfile >/dev/null 2>"$tmp/caddy.log" ||
  { cat "$tmp/caddy.log" >&2; exit 1; }

echo "deploy: envoy.yaml is YAML"
python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' deploy/envoy/envoy.yaml
echo "deploy: ok"
