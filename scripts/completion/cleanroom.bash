# bash completion for cleanroom. Subcommands and their options come from the
# binary's own --help (so they never drift), snapshot names from the store
# (`cleanroom snapshot list`), and files by what each place takes: .dsc and
# .toml to build, .deb to test or audit, .changes to publish.
_cleanroom_snapshots() {
  cleanroom "${_cleanroom_global[@]}" snapshot list 2>/dev/null | awk 'NR > 1 && $1 != "-" {print $1}'
}

# The subcommands listed by `cleanroom WORDS... --help`.
_cleanroom_subcommands() {
  cleanroom "$@" --help 2>/dev/null | sed -n '/^Subcommands:/,$p' | awk '/^  [a-z]/ {print $1}'
}

_cleanroom() {
  local cur prev words cword
  _init_completion || return
  # The global options before the subcommand (a --store changes the snapshots).
  _cleanroom_global=()
  local path=() i w
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    case "$w" in
      --store) _cleanroom_global+=(--store "${words[i + 1]}"); ((i++)) ;;
      -*) [[ ${#path[@]} -eq 0 ]] && _cleanroom_global+=("$w") ;;
      *) if [[ ${#path[@]} -eq 0 || ${path[0]} == snapshot || ${path[0]} == cache ]] && [[ ${#path[@]} -lt 2 ]]; then
           # Only the first word, or the verb under snapshot/cache, names a command.
           if [[ ${#path[@]} -eq 0 ]] || _cleanroom_subcommands "${path[@]}" | grep -qx -- "$w"; then
             path+=("$w")
           fi
         fi ;;
    esac
  done

  case "$prev" in
    -d|--dist|--snapshot)
      COMPREPLY=($(compgen -W "$(_cleanroom_snapshots)" -- "$cur")); return ;;
    --out|--store|--root|--keep|--workdir|--cache)
      _filedir -d; return ;;
    --wheelhouse|--extra-package)
      _filedir deb; return ;;
    --buildinfo)
      _filedir buildinfo; return ;;
    --source)
      _filedir '@(dsc|toml)'; return ;;
    --arch)
      COMPREPLY=($(compgen -W "amd64 i386 arm64 armhf" -- "$cur")); return ;;
    --bootstrapper)
      COMPREPLY=($(compgen -W "mmdebstrap debootstrap" -- "$cur")); return ;;
    --format)
      COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
  esac

  if [[ "$cur" == -* ]]; then
    local opts
    opts=$(cleanroom "${path[@]}" --help 2>/dev/null | sed -n '/^Options:/,/^$/p' |
      grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u)
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi

  local subs
  subs=$(_cleanroom_subcommands "${path[@]}")
  if [[ -n "$subs" && ( ${#path[@]} -eq 0 || ${path[0]} == snapshot || ${path[0]} == cache ) && ${#path[@]} -lt 2 ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return
  fi

  case "${path[*]}" in
    build|verify) _filedir '@(dsc|toml)' ;;
    plan) _filedir toml ;;
    test) _filedir deb ;;
    audit) _filedir '@(deb|buildinfo)' ;;
    publish) _filedir '@(changes|deb)' ;;
    "snapshot import") _filedir '@(tar|zst|xz|gz)' ;;
    "snapshot create") COMPREPLY=($(compgen -W "bookworm trixie sid bullseye buster stretch" -- "$cur")) ;;
    "snapshot rm"|"snapshot verify"|"snapshot export")
      COMPREPLY=($(compgen -W "$(_cleanroom_snapshots)" -- "$cur")) ;;
    run) COMPREPLY=($(compgen -c -- "$cur")) ;;
    *) _filedir ;;
  esac
}
complete -F _cleanroom cleanroom
