# Sourced by scripts/test and scripts/bench/*: instances outlive `wharf serve` by design, so a script
# that started one kills the products recorded under an instances directory with kill_fleet DIR.
kill_fleet() {
  for state in "$1"/*/state.json; do
    [ -f "$state" ] || continue
    pid=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("pid") or "")' "$state")
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
}
