#!/usr/bin/env bash
# Builds Okapi's container image without a container engine or registry and writes it as an OCI image archive (an OCI
# image layout in a tar), named okapi:local:
#   - layer 1: a minimal Debian 12 (bookworm) root filesystem from Debian's packages (mmdebstrap), with only what .NET
#     needs (libc, libstdc++, ICU for the en-GB culture, OpenSSL, CA certificates, time zones) and the user okapi
#     (uid 10001) owning /data;
#   - layer 2: /app, a self-contained `dotnet publish` of src/Okapi.Web for linux-x64, owned by root (read-only to okapi);
#   - config (umoci): runs /app/Okapi.Web as okapi on port 8080 with /data as data folder and volume, and a health check
#     (`/app/Okapi.Web healthcheck`, which GETs /healthz).
# Needs: mmdebstrap, umoci, jq (Debian packages) and the .NET SDK; network access to a Debian mirror and to NuGet.
# Runs as root or, with user namespaces (mmdebstrap's unshare mode), as an ordinary user. Caches nothing: everything but
# the output lives in a temporary folder that is removed at the end.
#
#   deploy/build-image.sh okapi.tar
#   skopeo copy oci-archive:okapi.tar docker-daemon:okapi:local    # or: docker load -i okapi.tar / podman load -i okapi.tar
set -euo pipefail

if [[ $# -ne 1 || "$1" == -* ]]; then
  echo "Usage: $0 <output.tar>" >&2
  exit 2
fi
output=$(realpath -m "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${OKAPI_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${OKAPI_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
name=okapi:local
uid=10001

missing=()
for tool in mmdebstrap mmtarfilter umoci jq dotnet tar sha256sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "Missing: ${missing[*]} (apt-get install mmdebstrap umoci jq; the .NET 10 SDK for dotnet)." >&2
  exit 1
fi

step() { printf '==> %s\n' "$*"; }
started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/okapi-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One timestamp for every file, layer and the image, so that the same commit and mirror content give the same image.
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
pack() { tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner "$@"; }

# --- Layer 1: the base system ---------------------------------------------------------------------
step "Building the Debian 12 base with mmdebstrap from $mirror"
# The essential variant has no apt and no package downloads left behind; documentation, manual pages and translations
# are not unpacked. /dev is left out: container runtimes provide it, and so are /etc/hostname and /etc/resolv.conf.
mmdebstrap --quiet --variant=essential --format=tar \
  --include=libc6,libgcc-s1,libstdc++6,libicu72,libssl3,zlib1g,ca-certificates,tzdata \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -f "$1/etc/hostname" "$1/etc/resolv.conf"' \
  --customize-hook="echo 'okapi:x:$uid:$uid:Okapi:/data:/usr/sbin/nologin' >>\"\$1/etc/passwd\"" \
  --customize-hook="echo 'okapi:x:$uid:' >>\"\$1/etc/group\"" \
  --customize-hook="echo 'okapi:!:19000::::::' >>\"\$1/etc/shadow\"" \
  --customize-hook="mkdir -m 0700 \"\$1/data\" && chown $uid:$uid \"\$1/data\"" \
  bookworm - \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security_mirror bookworm-security main" |
  mmtarfilter --path-exclude='/dev/*' >"$work/base.tar"

# --- Layer 2: the app -----------------------------------------------------------------------------
# From a copy of the sources, so that the runtime-specific restore leaves the working tree's obj/ folders alone.
step "Publishing src/Okapi.Web (Release, self-contained, linux-x64)"
mkdir -p "$work/src" "$work/layer/app"
(cd "$repo" && tar -c --exclude=bin --exclude=obj --exclude=data --exclude=TestResults \
  src Directory.Build.props Directory.Packages.props global.json .editorconfig) | tar -x -C "$work/src"
dotnet publish "$work/src/src/Okapi.Web" -c Release -r linux-x64 --self-contained -o "$work/layer/app" \
  -nologo -v:q -clp:ErrorsOnly -p:UseAppHost=true
chmod -R u=rwX,go=rX "$work/layer/app"
pack -C "$work/layer" -cf "$work/app.tar" app

# --- The image ------------------------------------------------------------------------------------
step "Assembling the image with umoci"
layout="$work/layout"
umoci init --layout "$layout"
umoci new --image "$layout:local"
umoci raw add-layer --image "$layout:local" --history.created "$created" \
  --history.created_by "mmdebstrap --variant=essential bookworm (libicu72 libssl3 ca-certificates tzdata)" "$work/base.tar"
umoci raw add-layer --image "$layout:local" --history.created "$created" \
  --history.created_by "dotnet publish src/Okapi.Web -c Release -r linux-x64 --self-contained -o /app" "$work/app.tar"
version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
umoci config --image "$layout:local" --no-history --created "$created" --os linux --architecture amd64 \
  --author "Okapi" \
  --config.user "$uid:$uid" \
  --config.workingdir /app \
  --config.entrypoint /app/Okapi.Web \
  --config.exposedports 8080/tcp \
  --config.volume /data \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env ASPNETCORE_HTTP_PORTS=8080 \
  --config.env DOTNET_RUNNING_IN_CONTAINER=true \
  --config.env Okapi__Database__DataFolder=/data \
  --config.label org.opencontainers.image.title=Okapi \
  --config.label "org.opencontainers.image.description=Self-hosted OKRs and KPIs" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.created=$created" \
  --config.label "okapi.healthcheck=/app/Okapi.Web healthcheck"

# OCI image configs have no health check; Docker reads one from the config's Healthcheck field (which the OCI format
# lets through as an unknown field), so it is added here and the manifest and index are rewritten to match. The index
# also names the image the way docker load (io.containerd.image.name) and podman load (ref.name) read it.
step "Adding the health check and the image name"
blob() { echo "$layout/blobs/sha256/${1#sha256:}"; }
put() { # writes stdin as a blob and prints "digest size"
  local tmp="$layout/blob.tmp" digest
  cat >"$tmp"
  digest=$(sha256sum "$tmp" | cut -d' ' -f1)
  mv "$tmp" "$layout/blobs/sha256/$digest"
  echo "sha256:$digest $(stat -c %s "$layout/blobs/sha256/$digest")"
}
manifest=$(jq -r '.manifests[0].digest' "$layout/index.json")
config=$(jq -r '.config.digest' "$(blob "$manifest")")
read -r config size < <(jq -cj '.config.Healthcheck = {
    Test: ["CMD", "/app/Okapi.Web", "healthcheck"],
    Interval: 30000000000, Timeout: 5000000000, StartPeriod: 30000000000, Retries: 3 }' "$(blob "$config")" | put)
read -r manifest msize < <(jq -cj --arg d "$config" --argjson s "$size" '.config.digest = $d | .config.size = $s' \
  "$(blob "$manifest")" | put)
jq -c --arg d "$manifest" --argjson s "$msize" --arg n "$name" '.manifests = [.manifests[0] | .digest = $d | .size = $s |
    .platform = {architecture: "amd64", os: "linux"} |
    .annotations = {"org.opencontainers.image.ref.name": $n, "io.containerd.image.name": ("docker.io/library/" + $n)}]' \
  "$layout/index.json" >"$layout/index.tmp"
mv "$layout/index.tmp" "$layout/index.json"
# Drops the blobs that the rewrites replaced.
for file in "$layout"/blobs/sha256/*; do
  digest="sha256:${file##*/}"
  if [[ "$digest" != "$manifest" ]] && ! jq -e --arg d "$digest" '.config.digest == $d or any(.layers[]; .digest == $d)' \
    "$(blob "$manifest")" >/dev/null; then
    rm "$file"
  fi
done

chmod -R a+rX "$layout"
mkdir -p "$(dirname "$output")"
(cd "$layout" && pack -cf "$output" oci-layout index.json blobs)
step "Wrote $output ($(du -h "$output" | cut -f1), image $name, manifest $manifest) in $((SECONDS - started)) s"
echo "Load it with: skopeo copy oci-archive:$output docker-daemon:$name (or docker load -i / podman load -i)"
