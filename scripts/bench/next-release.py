#!/usr/bin/env python3
"""next-release.py IN.zip OUT.zip BELFIORE: the next release of an AdE bulk
download in which one comune changed. Every member is copied as it is
(same bytes, same compression) except that comune's _ple.gml and _map.gml,
which get a comment appended (another checksum, the same features), and the
zips that hold it, which are rebuilt around it. Used by scripts/bench-bulk.sh
to measure a re-import that reloads one comune and keeps the others."""
import io
import sys
import zipfile


def rewrite(src: zipfile.ZipFile, dst: zipfile.ZipFile, belfiore: str) -> int:
    changed = 0
    for info in src.infolist():
        name = info.filename.rsplit("/", 1)[-1]
        data = src.read(info)
        if name.endswith(".zip") and (len(name) == 6 or name.startswith(belfiore + "_")):
            out = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(data)) as inner, zipfile.ZipFile(out, "w") as w:
                changed += rewrite(inner, w, belfiore)
            data = out.getvalue()
        elif name.startswith(belfiore + "_") and name.endswith(".gml"):
            data += b"<!-- next release -->\n"
            changed += 1
        dst.writestr(info, data, compress_type=info.compress_type)
    return changed


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit("usage: next-release.py IN.zip OUT.zip BELFIORE")
    with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w") as dst:
        if rewrite(src, dst, sys.argv[3]) == 0:
            sys.exit(f"no member of comune {sys.argv[3]} in {sys.argv[1]}")


if __name__ == "__main__":
    main()
