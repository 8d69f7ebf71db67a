# bash completion for cleanroom. Subcommands and their options come from the
# binary's own --help, snapshot names from `cleanroom snapshot list`.
_cleanroom() {
  local cur prev words cword
  _init_completion || return
  local sub="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      -*) ;;
      *) sub="${words[i]}"; break ;;
    esac
  done
  if [[ -z "$sub" ]]; then
    local subs
    subs=$(cleanroom --help 2>/dev/null | sed -n '/^Subcommands:/,$p' | awk '/^  [a-z]/ {print $1}')
    COMPREPLY=($(compgen -W "$subs --store --verbose --quiet --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    -d|--dist|--snapshot)
      COMPREPLY=($(compgen -W "$(cleanroom snapshot list 2>/dev/null | awk 'NR > 1 {print $1}')" -- "$cur"))
      return ;;
    --out|--store|--workdir|--wheelhouse)
      _filedir -d
      return ;;
  esac
  if [[ "$cur" == -* ]]; then
    local opts
    opts=$(cleanroom "$sub" --help 2>/dev/null | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u)
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  _filedir
}
complete -F _cleanroom cleanroom
