#!/usr/bin/env bash
# Prepares the compose grid's secrets and, with --economy, its contracts.
#   ./prepare.sh              makes whatever is missing under secrets/: the operator key (operator.env), the model
#                             owner's key, Grafana's admin password, and an empty settler key until --economy
#   ./prepare.sh --economy    deploys the economy's contracts to the grid's ganache (127.0.0.1:8545) with the CLI,
#                             writes the settler key and .env with the contract addresses; then `docker compose up -d`
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SECRETS=$HERE/secrets
mkdir -p "$SECRETS"
chmod 700 "$SECRETS"   # the folder keeps other users out; the files stay readable by the silo's uid in the container

hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
make_secret() { # file content
  [ -s "$SECRETS/$1" ] && return 0
  printf '%s' "$2" >"$SECRETS/$1"
  chmod 644 "$SECRETS/$1"
  echo "made secrets/$1"
}

make_secret operator.env "OpenLedger__Agents__Keys__0=$(hex 24)
"
make_secret owner.key "$(hex 32)"
make_secret grafana-admin "$(hex 12)"
[ -e "$SECRETS/settler.key" ] || { : >"$SECRETS/settler.key"; chmod 644 "$SECRETS/settler.key"; }
[ -e "$SECRETS/settler.password" ] || { : >"$SECRETS/settler.password"; chmod 644 "$SECRETS/settler.password"; }

if [ "${1:-}" = "--economy" ]; then
  "$HERE/../../openledger" chain deploy --rpc http://127.0.0.1:8545 --chain-id 1337 \
    --out "$SECRETS/chain.json" --settler-key-out "$SECRETS/settler.key" --settler-password-out "$SECRETS/settler.password"
  # settler.key is an encrypted keystore; the silo opens it with settler.password.
  chmod 644 "$SECRETS/settler.key" "$SECRETS/settler.password"
  node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const fields = { FEE_VAULT: "feeVault", DISTRIBUTOR: "distributor", REGISTRY: "registry", STAKING: "staking", FEE_SPLIT: "feeSplit", TREASURY: "treasury" };
    const lines = ["OPENLEDGER_RPC_URL=http://ganache:8545"];
    for (const [name, field] of Object.entries(fields)) {
      if (!c[field]) { console.error(`chain.json has no ${field}`); process.exit(1); }
      lines.push(`OPENLEDGER_${name}=${c[field]}`);
    }
    console.log(lines.join("\n"));' "$SECRETS/chain.json" >"$HERE/.env"
  echo "wrote .env: run \`docker compose up -d\` to restart the silos with the economy on"
fi
