#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret
# Service) and a scratch HOME, so keychain tests use a real keychain and touch nothing else.
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch" XDG_DATA_HOME="$scratch/.local/share" XDG_CONFIG_HOME="$scratch/.config" \
       XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c 'eval "$(printf %s confab-test | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; exec "$@"' sh "$@"
