#!/usr/bin/env python3
"""Multipart/related helpers for bench/wado.sh and bench/stow.sh (Python 3 standard library only).

  multipart.py check BODY CONTENT_TYPE [EXPECTED_UIDS]
      Parses a WADO-RS response body (a file) with the boundary of CONTENT_TYPE (the response's Content-Type header
      value) and prints one line of JSON: parts, bytes, closed (closing delimiter present), epilogue (text after it,
      e.g. the gateway's "Warning: ..." line), part10 (parts that are DICOM Part 10 files with a Media Storage SOP
      Instance UID), distinct (distinct SOP Instance UIDs), duplicates, and with EXPECTED_UIDS (a file, one SOP
      Instance UID a line) missing and unexpected. Exit 0 when the body is complete and, with EXPECTED_UIDS, holds
      exactly those instances once each; 1 otherwise.

  multipart.py uids DIR
      Prints the SOP Instance UID of every *.dcm under DIR (from its file name: the sample sets of
      scripts/GenerateStudies.java are named <SOPInstanceUID>.dcm), one a line, sorted.

  multipart.py build OUT DIR
      Writes a STOW-RS body to the file OUT: every *.dcm under DIR (sorted) as one part
      "Content-Type: application/dicom". Prints the request's Content-Type header value (with its boundary).

  multipart.py stow-response JSON
      Counts the ReferencedSOPSequence (0008,1199) and FailedSOPSequence (0008,1198) items of a STOW-RS response
      (DICOM JSON) and prints "referenced failed".
"""
import json
import mmap
import os
import re
import struct
import sys
import uuid

LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}


def boundary_of(content_type):
    m = re.search(r'boundary=("([^"]+)"|([^;\s]+))', content_type, re.IGNORECASE)
    if not m:
        raise SystemExit("multipart.py: no boundary in Content-Type: %r" % content_type)
    return (m.group(2) or m.group(3)).encode("ascii")


def sop_instance_uid(buf, start, end):
    """(0002,0003) from the File Meta Information of the Part 10 file buf[start:end], or None."""
    if end - start < 132 + 12 or buf[start + 128:start + 132] != b"DICM":
        return None
    pos = start + 132
    while pos + 8 <= end:
        group, element = struct.unpack_from("<HH", buf, pos)
        if group != 0x0002:
            return None
        vr = bytes(buf[pos + 4:pos + 6])
        if vr in LONG_VRS:
            length = struct.unpack_from("<I", buf, pos + 8)[0]
            value = pos + 12
        else:
            length = struct.unpack_from("<H", buf, pos + 6)[0]
            value = pos + 8
        if element == 0x0003:
            return bytes(buf[value:value + length]).rstrip(b"\0 ").decode("ascii", "replace")
        pos = value + length
    return None


def check(path, content_type, expected_path=None):
    delimiter = b"--" + boundary_of(content_type)
    size = os.path.getsize(path)
    result = {"parts": 0, "bytes": size, "closed": False, "epilogue": "", "part10": 0, "distinct": 0,
              "duplicates": 0}
    uids = {}
    if size > 0:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            pos = buf.find(delimiter)
            while pos >= 0:
                after = pos + len(delimiter)
                if buf[after:after + 2] == b"--":
                    result["closed"] = True
                    result["epilogue"] = bytes(buf[after + 2:after + 2 + 400]).decode("utf-8", "replace").strip()
                    break
                headers_end = buf.find(b"\r\n\r\n", after)
                if headers_end < 0:
                    break
                body_start = headers_end + 4
                nxt = buf.find(b"\r\n" + delimiter, body_start)
                body_end = nxt if nxt >= 0 else size
                result["parts"] += 1
                uid = sop_instance_uid(buf, body_start, body_end)
                if uid:
                    result["part10"] += 1
                    uids[uid] = uids.get(uid, 0) + 1
                if nxt < 0:
                    break   # truncated: no further delimiter
                pos = nxt + 2
    result["distinct"] = len(uids)
    result["duplicates"] = sum(n - 1 for n in uids.values())
    ok = result["closed"] and result["parts"] > 0 and result["part10"] == result["parts"]
    if expected_path:
        with open(expected_path) as f:
            expected = {line.strip() for line in f if line.strip()}
        result["expected"] = len(expected)
        result["missing"] = len(expected - uids.keys())
        result["unexpected"] = len(uids.keys() - expected)
        ok = ok and result["missing"] == 0 and result["unexpected"] == 0 and result["duplicates"] == 0
    result["ok"] = ok
    print(json.dumps(result))
    return 0 if ok else 1


def dcm_files(directory):
    files = []
    for root, _, names in os.walk(directory):
        files.extend(os.path.join(root, n) for n in names if n.endswith(".dcm"))
    return sorted(files)


def uids(directory):
    for f in sorted(os.path.basename(p)[:-4] for p in dcm_files(directory)):
        print(f)
    return 0


def build(out, directory):
    boundary = "bench-" + uuid.uuid4().hex
    files = dcm_files(directory)
    if not files:
        raise SystemExit("multipart.py: no *.dcm under %s" % directory)
    with open(out, "wb") as o:
        for path in files:
            o.write(b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n")
            with open(path, "rb") as f:
                o.write(f.read())
            o.write(b"\r\n")
        o.write(b"--" + boundary.encode() + b"--\r\n")
    print('multipart/related; type="application/dicom"; boundary=%s' % boundary)
    return 0


def stow_response(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace").strip()
    if not text:
        print("0 0")
        return 1
    doc = json.loads(text)
    if isinstance(doc, list):   # some servers answer an array of one dataset
        doc = doc[0] if doc else {}

    def items(tag):
        return len((doc.get(tag) or {}).get("Value") or [])
    print("%d %d" % (items("00081199"), items("00081198")))
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4] if len(argv) > 4 else None)
    if len(argv) == 3 and argv[1] == "uids":
        return uids(argv[2])
    if len(argv) == 4 and argv[1] == "build":
        return build(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "stow-response":
        return stow_response(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
