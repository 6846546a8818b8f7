# Sourced by the benchmark scripts: the corpus they run on, unpacked.

# unpack_corpus CORPUS DEST: put the cables of CORPUS under DEST. CORPUS is a folder of
# *.txt (or of .tar.xz archives of them, as ../shared/corpus holds cables.tar.xz), or a
# .tar.xz; a folder is hard-linked where it can be, so that it costs no disk.
unpack_corpus() {
  local src=$1 dest=$2
  mkdir -p "$dest"
  if [ -f "$src" ]; then
    tar -xJf "$src" -C "$dest"
  else
    cp -al "$src/." "$dest/" 2>/dev/null || cp -a "$src/." "$dest/"
    # A folder of archives: unpack each where it is.
    find "$dest" -name '*.tar.xz' | while read -r archive; do
      tar -xJf "$archive" -C "$(dirname "$archive")" && rm -f "$archive"
    done
  fi
}
