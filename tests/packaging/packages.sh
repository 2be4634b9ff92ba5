#!/usr/bin/env bash
# The Debian packages: `cpack -G DEB` builds confab-server and confab-client from the
# build folder; each holds what the README promises; unpacked with dpkg -x (no root,
# nothing installed) the binaries run --version; the systemd unit passes
# `systemd-analyze verify`; the .desktop file and AppStream metainfo validate.
set -euo pipefail
binary_dir=${CONFAB_BINARY_DIR:?run through ctest}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$binary_dir/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 \
  || { cat "$scratch/cpack.log" >&2; fail "cpack"; }
server=$(ls "$scratch"/out/confab-server_*_amd64.deb) || fail "no confab-server package"
client=$(ls "$scratch"/out/confab-client_*_amd64.deb) || fail "no confab-client package"

contains() { # package path...
  local package=$1; shift
  local listing; listing=$(dpkg-deb -c "$package" | awk '{print $6}')
  for path in "$@"; do
    grep -qx "./${path#/}" <<<"$listing" || fail "$(basename "$package") lacks $path"
  done
}
contains "$server" /usr/bin/confabd /usr/bin/confabctl /usr/bin/confab-bench /usr/lib/systemd/system/confabd.service \
  /etc/confab/confabd.ini /usr/share/doc/confab-server/examples/confab.cfg \
  /usr/share/doc/confab-server/examples/confab-dashboard.json
contains "$client" /usr/bin/confab /usr/bin/confab-cli /usr/share/applications/org.confab.Confab.desktop \
  /usr/share/icons/hicolor/scalable/apps/org.confab.Confab.svg /usr/share/metainfo/org.confab.Confab.metainfo.xml
dpkg-deb -c "$client" | grep -q "usr/bin/confabd" && fail "confabd belongs in confab-server only"

# The server package: config kept across upgrades, a system user made on install.
dpkg-deb -e "$server" "$scratch/control"
grep -qx "/etc/confab/confabd.ini" "$scratch/control/conffiles" || fail "confabd.ini is not a conffile"
grep -q "adduser --system" "$scratch/control/postinst" || fail "postinst does not create the confab user"
[ -x "$scratch/control/postinst" ] || fail "postinst is not executable"
dpkg-deb -f "$server" Depends | grep -q "libqt6core6" || fail "no shared-library dependencies computed"
dpkg-deb -f "$client" Depends | grep -q "fonts-noto-color-emoji" || fail "confab-client does not depend on the colour emoji font"

dpkg -x "$server" "$scratch/root"
dpkg -x "$client" "$scratch/root"
root=$scratch/root
[ "$("$root/usr/bin/confabd" --version)" = "confabd 0.1.0" ] || fail "confabd --version"
"$root/usr/bin/confabctl" --version | grep -q "0.1.0" || fail "confabctl --version"
"$root/usr/bin/confab-cli" --version | grep -q "0.1.0" || fail "confab-cli --version"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/confab" --version 2>/dev/null | grep -q "0.1.0" || fail "confab --version"
"$root/usr/bin/confabd" --config "$root/etc/confab/confabd.ini" --check-config | grep -q "configuration OK" \
  || fail "confabd --check-config rejects the packaged config"

# The unit, with ExecStart pointing at the unpacked binary (verify checks it exists).
sed "s#/usr/bin/confabd#$root/usr/bin/confabd#" "$root/usr/lib/systemd/system/confabd.service" >"$scratch/confabd.service"
systemd-analyze verify "$scratch/confabd.service" || fail "systemd-analyze verify"
desktop-file-validate "$root/usr/share/applications/org.confab.Confab.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.confab.Confab.metainfo.xml" >/dev/null || fail "appstreamcli validate"
echo "packages ok: $(basename "$server") $(stat -c %s "$server") bytes, $(basename "$client") $(stat -c %s "$client") bytes"
