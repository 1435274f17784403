# The options bench/run.sh and bench/diagnose.sh share, sourced by both: parse_options "$@" sets quick and output.
#   --quick         a smoke run, to a temporary folder
#   --output DIR    write the page and its images/ to DIR
parse_options() {
  quick=false
  output=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --quick) quick=true ;;
      --output)
        [[ $# -ge 2 && -n $2 ]] || { echo "$0: --output needs a folder" >&2; exit 2; }
        output=$2
        shift
        ;;
      *) echo "usage: $0 [--quick] [--output DIR]" >&2; exit 2 ;;
    esac
    shift
  done
}
