# Shared by the worked examples: how to run hplab, and how to print a batch's CSV as a table.

examples_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# hplab ARGS...: $HPLAB_BINARY when set (Scripts/test sets it), else Scripts/hplab, which builds
# hplab when needed.
hplab() {
  if [ -n "${HPLAB_BINARY:-}" ]; then
    "$HPLAB_BINARY" "$@"
  else
    "$examples_dir/../hplab" "$@"
  fi
}

# table CSV-FILE COLUMN...: the named columns of a CSV file written by hplab batch, aligned.
# Fields may be quoted (RFC 4180); batch rows hold no line breaks.
table() {
  local file="$1"
  shift
  awk -v wanted="$*" '
    function split_csv(line, out,    n, i, c, field, quoted) {
      n = 0; field = ""; quoted = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (quoted) {
          if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
          else if (c == "\"") quoted = 0
          else field = field c
        } else if (c == "\"") quoted = 1
        else if (c == ",") { out[++n] = field; field = "" }
        else field = field c
      }
      out[++n] = field
      return n
    }
    NR == 1 {
      n = split_csv($0, header)
      count = split(wanted, names, " ")
      for (j = 1; j <= count; j++) {
        index_of[j] = 0
        for (i = 1; i <= n; i++) if (header[i] == names[j]) index_of[j] = i
        if (!index_of[j]) { print "table: no column " names[j] > "/dev/stderr"; exit 2 }
      }
    }
    {
      split_csv($0, fields)
      rows++
      for (j = 1; j <= count; j++) {
        cell[rows, j] = fields[index_of[j]]
        if (length(cell[rows, j]) > width[j]) width[j] = length(cell[rows, j])
      }
    }
    END {
      for (r = 1; r <= rows; r++) {
        line = ""
        for (j = 1; j <= count; j++) {
          pad = (j < count) ? width[j] + 2 : 0
          line = line sprintf("%-" pad "s", cell[r, j])
        }
        sub(/ +$/, "", line)
        print line
      }
    }' "$file"
}
