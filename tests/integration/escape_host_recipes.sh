#!/bin/sh
# A recipe is a contributor's: no path it names reaches a host file. A
# maintainer script, unit or requirements file outside the recipe's directory,
# or one that is a link out of it, is refused at validation (exit 2, FILE:LINE)
# before anything is read or shipped, and the error never echoes the file. A
# link nested under another link's path is refused the same way. No snapshot is
# needed: validation comes before any build step.
. "$CLEANROOM_TEST_LIB"
R="$SCRATCH/recipe"
HOST="$SCRATCH/host"
mkdir -p "$R" "$HOST/etc" "$SCRATCH/out"
# A stand-in for /etc/shadow that the test owns, so its contents are known.
printf 'root:$y$j9T$HOSTSECRET:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' > "$HOST/etc/shadow"
chmod 600 "$HOST/etc/shadow"

venv_recipe() { # extra-lines
  cat <<TOML
format = 1
kind = "venv"
name = "pwn"
version = "1.0-1"
maintainer = "Mallory <m@example.org>"
description = "hostile recipe"
snapshot = "bookworm"
wheelhouse = "wh"
$1
TOML
}
mkdir -p "$R/wh"
: > "$R/wh/wheelhouse.lock"

refused() { # what expected-fragment
  capture cr build "$R/recipe.toml" --out "$SCRATCH/out"
  assert_eq 2 "$rc" "$1: exit 2"
  assert_contains "$out" "$2" "$1: the error names the file, line and key"
  case "$out" in *HOSTSECRET* | *daemon:*) fail "$1: the error echoes the host file: $out" ;; esac
  pass "$1: nothing of the host file is shown"
  [ -z "$(ls "$SCRATCH/out")" ] || fail "$1: something was written to --out: $(ls "$SCRATCH/out")"
}

venv_recipe "requirements = [\"six\"]
[maintainer_scripts]
postinst = \"$HOST/etc/shadow\"" > "$R/recipe.toml"
refused "an absolute postinst" "recipe.toml:11: maintainer_scripts.postinst \"$HOST/etc/shadow\" must name a path beneath the recipe's directory"

venv_recipe "requirements = [\"six\"]
systemd_units = [\"../host/etc/pwn.service\"]" > "$R/recipe.toml"
cp "$HOST/etc/shadow" "$HOST/etc/pwn.service"
refused "a unit file outside the recipe's directory" "recipe.toml:10: systemd_units \"../host/etc/pwn.service\" must name a path beneath"

venv_recipe "requirements = \"$HOST/etc/shadow\"" > "$R/recipe.toml"
refused "an absolute requirements file" "recipe.toml:9: requirements \"$HOST/etc/shadow\" must name a path beneath"

ln -s "$HOST/etc/shadow" "$R/requirements.txt"
venv_recipe "requirements = \"requirements.txt\"" > "$R/recipe.toml"
refused "a requirements file that is a link out" "recipe.toml:9: requirements \"requirements.txt\" is refused"

printf 'six\n-r ../host/etc/shadow\n' > "$R/reqs.txt"
venv_recipe "requirements = \"reqs.txt\"" > "$R/recipe.toml"
refused "a requirements file that includes a host file" "reqs.txt:2: '$HOST/etc/shadow' is outside the recipe's directory"

ln -s "$HOST/etc/shadow" "$R/postinst"
venv_recipe "requirements = [\"six\"]
[maintainer_scripts]
postinst = \"postinst\"" > "$R/recipe.toml"
refused "a postinst that is a link to a host file" "recipe.toml:11: maintainer_scripts.postinst \"postinst\" is refused"

mkfifo "$R/prerm"
venv_recipe "requirements = [\"six\"]
[maintainer_scripts]
prerm = \"prerm\"" > "$R/recipe.toml"
capture timeout 60 "$CLEANROOM" build "$R/recipe.toml" --out "$SCRATCH/out"
assert_eq 2 "$rc" "a FIFO as prerm is refused at once, not waited on"
assert_contains "$out" "a FIFO" "the refusal says it is a FIFO"

venv_recipe "requirements = [\"six\"]
links = [
  { target = \"$HOST/etc\", link = \"/usr/lib/pwn\" },
  { target = \"bin/x\", link = \"/usr/lib/pwn/cron.d/evil\" },
]" > "$R/recipe.toml"
refused "a link nested under another link" "recipe.toml:12: link \"/usr/lib/pwn/cron.d/evil\" lies beneath link \"/usr/lib/pwn\" (line 11)"
[ "$(ls "$HOST/etc")" = "$(printf 'pwn.service\nshadow')" ] || fail "the host directory changed: $(ls "$HOST/etc")"
pass "the host directory a link named is untouched"
