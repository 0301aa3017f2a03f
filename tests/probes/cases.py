"""Hostile and careless inputs, written at test time: the one list of probe cases that the CLI
(`crates/csc-cli/tests/probes.rs`), the C library (`bindings/c/tests/probes.rs`, through
`tests/probes/probe.c`) and Python (`tests/python/test_probes.py`) are all run over.

`python3 tests/probes/cases.py DIR` writes every case's files under `DIR/<case>/` and prints the
manifest as JSON; `cases(DIR)` does the same from Python. Files are kept small (the largest is
about 100 MB of one XML text node, written in well under a second); each run is bounded by the
memory and CPU limits of its case, set on the child process with `prlimit`.

A case is a dict:

* `name`, `about`: what it is and which defect of issue 16 (D1..D21) or which own probe it is.
* `runs`: CLI runs, each `{"args": [...], "rc": [...], "must": [...], "must_not": [...],
  "max_output": bytes, "rows": {...}, "loaded": {...}, "records_file": path, "stdout_closed":
  bool, "max_rss_kb": n}`. `{D}` in any string is the case's folder. `rc` lists the exit
  statuses allowed: 0, 1, or 2 where the command-line parser itself refuses a value (never 101,
  134, 137 or a signal, whatever it says). Each entry of `must` is
  one or more alternatives separated by ` || `, at least one of which must appear (case-sensitive)
  in stdout or stderr; `must_not` entries must not appear. `rows` (only on a `check --format json`
  run): for each file name, the number of data lines it holds; the file's `rows` must equal it
  and its `skipped` rows must each have a `skipped` data-quality entry on their own line, so
  every row is loaded or reported. `loaded`: counts that `loaded` must show.
* `request`: a JSON request for `csc_compute_json` (C) with `status`, the statuses allowed.
* `py`: `{"load": {"cin": [...], "ssda903": [...]}}` or `{"sample": {...}}`, with `"error"`:
  true (a `CscError` must be raised, with a message), false (it must load) or null (either), and
  `rows` as above, checked against `Dataset.files` and `Dataset.load_report`.
* `scale` on a run: `{"args": [...], "max_ratio": r}`, the same work on a quarter of the input;
  the run's user CPU time must be under `r` times that one's (4 when linear, 16 when quadratic).
* `as_bytes`, `cpu_s`: the limits (address space, CPU seconds) of every run of the case.
* `skip_as_root`: the case means nothing to root (unreadable permissions).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from typing import Any

H = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
ROW = "A{n},0{d}/04/2023,S,C2,N1,U1,PR1,,,,,,"
HEADER_H = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
GIB = 1 << 30
AS_DEFAULT = 3 * GIB
CPU_DEFAULT = 20

CIN_HEAD = (
    "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year>"
    "<ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>"
)
CIN_CHILD = (
    "<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID></ChildIdentifiers>"
    "<CINdetails><CINreferralDate>2023-06-0{n}</CINreferralDate>"
    "<Assessments><AssessmentActualStartDate>2023-06-0{n}</AssessmentActualStartDate>"
    "<AssessmentAuthorisationDate>2023-06-2{n}</AssessmentAuthorisationDate></Assessments>"
    "</CINdetails></Child>"
)
CIN_TAIL = "</Children></Message>"

X903_HEAD = '<?xml version="1.0"?>\n'
X903_EPISODE = (
    "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>"
    "<PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>"
)


def _write(path: str, data: bytes | str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def _episodes(*rows: str, sep: str = "\n") -> str:
    return sep.join([H, *rows]) + sep


def _rows(n: int) -> list[str]:
    return [ROW.format(n=i, d=i % 9 + 1) for i in range(1, n + 1)]


def _cin(children: int = 2) -> str:
    return CIN_HEAD + "".join(CIN_CHILD.format(n=i) for i in range(1, children + 1)) + CIN_TAIL


def cases(root: str) -> list[dict[str, Any]]:
    """Writes every case's files under `root` and returns the cases (with `{D}` left in)."""
    out: list[dict[str, Any]] = []

    def case(name: str, about: str, **kw: Any) -> None:
        kw.setdefault("runs", [])
        kw.setdefault("as_bytes", AS_DEFAULT)
        kw.setdefault("cpu_s", CPU_DEFAULT)
        kw.setdefault("skip_as_root", False)
        out.append({"name": name, "about": about, **kw})

    def d(name: str) -> str:
        p = os.path.join(root, name)
        os.makedirs(p, exist_ok=True)
        return p

    def check(inputs: list[str], **kw: Any) -> dict[str, Any]:
        return {"args": ["check", "--format", "json", *inputs], "rc": [0], **kw}

    def req(status: list[int], **kw: Any) -> dict[str, Any]:
        return {"status": status, **kw}

    # D1: blank lines must not make the reader reserve a record per newline (10 MB of them asked
    # for 2.9 GB and aborted under a 3 GB limit).
    p = d("d01_blank_lines")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes(*_rows(1)).encode() + b"\n" * 10_000_000)
    case(
        "d01_blank_lines",
        "D1: one row then 10 MB of blank lines; no abort, the one row loaded",
        runs=[check(["--ssda903", "2024={D}/ret"], rows={"episodes.csv": 1}, loaded={"care_episodes": 1})],
        request=req([0], request={"ssda903": ["2024={D}/ret"], "year": 2024, "measures": ["cla_at_end"]}),
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False, "rows": {"episodes.csv": 1}},
    )

    # D2: a folder without any CSV table (the layout synth writes, pointed one level too high).
    p = d("d02_no_csv")
    _write(os.path.join(p, "la", "2024", "ssda903", "episodes.csv"), _episodes(*_rows(2)))
    case(
        "d02_no_csv",
        "D2: an SSDA903 folder holding no CSV table is an error naming the folder and what it skipped",
        runs=[
            {"args": ["check", "--strict", "--ssda903", "2024={D}/la/2024"], "rc": [1], "must": ["{D}/la/2024", "ssda903"]},
            {"args": ["compute", "--ssda903", "2024={D}/la/2024", "--year", "2024", "--measure", "cla_at_end"], "rc": [1], "must": ["{D}/la/2024"]},
        ],
        request=req([103], request={"ssda903": ["2024={D}/la/2024"], "year": 2024, "measures": ["cla_at_end"]}),
        py={"load": {"ssda903": ["2024={D}/la/2024"]}, "error": True},
    )

    # D3: a quote left open swallows the rows after it.
    p = d("d03_open_quote")
    _write(
        os.path.join(p, "ret", "episodes.csv"),
        _episodes(
            "A1,01/04/2023,S,C2,N1,U1,PR1,01/06/2023,E11,,,,",
            'A2,02/04/2023,S,C2,N1,"U1,PR1,,,,,,',
            "A3,03/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "A4,04/04/2023,S,C2,N1,U1,PR1,,,,,,",
        ),
    )
    case(
        "d03_open_quote",
        "D3: a quote opened on line 3 and never closed is reported with its line, and --strict stops",
        runs=[
            {"args": ["check", "--strict", "--ssda903", "2024={D}/ret"], "rc": [1], "must": ["episodes.csv", "quote"]},
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "must": ["episodes.csv:3", "quote"]},
        ],
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False},
    )

    # D4: formula injection through child ids written to --records.
    p = d("d04_formula")
    _write(
        os.path.join(p, "ret", "episodes.csv"),
        _episodes(
            "=1+1,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "\"+cmd|' /C calc'!A0\",01/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "@SUM(1+1),01/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "-2+3,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
        ),
    )
    case(
        "d04_formula",
        "D4: child ids starting =, +, - or @ are not written as formulas to --records",
        runs=[
            {
                "args": ["compute", "--ssda903", "2024={D}/ret", "--year", "2024", "--measure", "cla_at_end", "--records", "{D}/records.csv"],
                "rc": [0],
                "records_file": "{D}/records.csv",
            }
        ],
    )

    # D5: an unbounded sample size.
    case(
        "d05_sample_children",
        "D5: a sample of 4294967295 children is refused, not grown until the allocator aborts",
        runs=[
            {"args": ["summary", "--sample-children", "4294967295"], "rc": [1], "must": ["children"]},
        ],
        request=req([3, 106, 108], request={"sample": {"children": 4294967295}, "measures": ["referrals"]}),
        py={"sample": {"children": 4294967295}, "error": True},
    )

    # D6: the collection year silently wrong.
    p = d("d06_year")
    _write(
        os.path.join(p, "typo", "episodes.csv"),
        _episodes("Z1,01/05/2033,S,C2,N1,U1,PR1,,,,,,", "Z2,01/05/2023,S,C2,N1,U1,PR1,,,,,,"),
    )
    _write(
        os.path.join(p, "typo9", "episodes.csv"),
        _episodes("Z1,31/12/9999,S,C2,N1,U1,PR1,,,,,,", "Z2,01/05/2023,S,C2,N1,U1,PR1,,,,,,"),
    )
    _write(os.path.join(p, "cin.xml"), _cin(2))
    case(
        "d06_year",
        "D6: a DECOM after the return's year is reported; the year error names the row; YEAR= against ReferenceDate warns",
        runs=[
            check(["--ssda903", "2024={D}/typo"], must=["date_after_return_end"], rows={"episodes.csv": 2}),
            check(["--ssda903", "2024={D}/typo9"], must=["date_after_return_end"], rows={"episodes.csv": 2}),
            {"args": ["compute", "--ssda903", "{D}/typo9", "--measure", "cla_at_end"], "rc": [0, 1], "must": ["Z1 || episodes.csv:2"]},
            {"args": ["check", "--cin", "2019={D}/cin.xml"], "rc": [0], "must": ["ReferenceDate"]},
        ],
    )

    # D7: record elements out of place.
    p = d("d07_misplaced")
    cin = _cin(1).replace(
        "</CINdetails>",
        "</CINdetails><Assessments><AssessmentActualStartDate>2023-07-03</AssessmentActualStartDate>"
        "<AssessmentAuthorisationDate>2023-07-05</AssessmentAuthorisationDate></Assessments>",
    )
    _write(os.path.join(p, "cin.xml"), cin)
    _write(
        os.path.join(p, "903.xml"),
        X903_HEAD + "<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER>" + X903_EPISODE + "</CHILD>"
        + X903_EPISODE + "<WRAP><CHILD><HEADER><CHILDID>C2</CHILDID></HEADER>" + X903_EPISODE + "</CHILD></WRAP></EXPSSDA903>",
    )
    case(
        "d07_misplaced",
        "D7: an <Assessments> under <Child>, an <EPISODE> under the root and a <CHILD> in a wrapper are reported",
        runs=[
            {"args": ["check", "--strict", "--cin", "2024={D}/cin.xml"], "rc": [1], "must": ["Assessments"]},
            {"args": ["check", "--strict", "--ssda903", "2024={D}/903.xml"], "rc": [1], "must": ["EPISODE || CHILD"]},
            {"args": ["check", "--ssda903", "2024={D}/903.xml"], "rc": [0], "must": ["EPISODE", "WRAP"]},
        ],
        request=req([104], request={"cin": ["2024={D}/cin.xml"], "year": 2024, "strict": True}),
        py={"load": {"cin": ["2024={D}/cin.xml"]}, "strict": True, "error": True},
    )

    # D8: columns of another table, and a column given twice.
    p = d("d08_columns")
    _write(
        os.path.join(p, "combined", "combined.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB," + H.split(",", 1)[1] + "\n"
        + "A1,1,01/01/2010,WBRI,,,,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n",
    )
    _write(
        os.path.join(p, "twice", "episodes.csv"),
        "CHILD," + H + "\n" + "B1,A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n",
    )
    case(
        "d08_columns",
        "D8: Header columns in an Episodes table and a repeated CHILD column are not ignored without a word",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/combined"], "rc": [0], "must": ["DOB || Header"]},
            {"args": ["check", "--ssda903", "2024={D}/twice"], "rc": [0, 1], "must": ["CHILD"], "must_not": []},
            check(["--ssda903", "2024={D}/twice"], rc=[0, 1], must=["repeat || twice || more than once || again || second"]),
        ],
    )

    # D9: values echoed without a bound.
    p = d("d09_long")
    _write(os.path.join(p, "ret", "episodes.csv"), H + "\nA1," + "9" * (4 << 20) + ",S,C2,N1,U1,PR1,,,,,,\n")
    case(
        "d09_long",
        "D9: a 4 MB value is clipped in messages (the report stays under 64 KiB)",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "max_output": 65536, "must": ["episodes.csv:2"]},
            check(["--ssda903", "2024={D}/ret"], max_output=65536, rows={"episodes.csv": 1}),
        ],
        request=req([0], request={"ssda903": ["2024={D}/ret"], "year": 2024, "measures": ["cla_at_end"]}, max_output=65536),
    )

    # D10, D11 and own: numbers in options.
    case(
        "d10_option_numbers",
        "D10 and own: month and working-day options out of range (above 2^31-1, negative, beyond u64) are refused by name",
        runs=[
            {"args": ["compute", "--sample-children", "200", "--option", "a3_months=2147483648", "--measure", "adoption_a3"], "rc": [1], "must": ["a3_months"]},
            {"args": ["compute", "--sample-children", "200", "--option", "a3_months=2147483647", "--measure", "adoption_a3"], "rc": [1], "must": ["a3_months"]},
            {"args": ["compute", "--sample-children", "200", "--option", "assessment_limit_wd=-5", "--measure", "assessments_45wd"], "rc": [1], "must": ["assessment_limit_wd"]},
            {"args": ["compute", "--sample-children", "200", "--option", "a3_months=99999999999999999999", "--measure", "adoption_a3"], "rc": [1], "must": ["a3_months"]},
            {"args": ["summary", "--sample-children=-1"], "rc": [1, 2], "must": ["-1"]},
            {"args": ["compute", "--sample-children", "200", "--year=-5"], "rc": [1, 2], "must": ["-5"]},
            {"args": ["compute", "--sample-children", "200", "--year", "99999999999"], "rc": [1, 2], "must": ["99999999999"]},
        ],
        request=req([106], request={"sample": {"children": 200}, "measures": ["adoption_a3"], "options": {"a3_months": 2147483648}}),
    )
    case(
        "d11_empty_measure",
        "D11: an empty measure id is an unknown measure on every surface",
        runs=[{"args": ["compute", "--sample-children", "100", "--measure", ""], "rc": [1], "must": ["measure"]}],
        request=req([105], request={"sample": {"children": 100}, "measures": [""]}),
    )

    # D12: a closed stdout.
    case(
        "d12_closed_stdout",
        "D12: summary, check and workdays with stdout closed end with 0 or 1, never a panic",
        runs=[
            {"args": ["summary", "--sample-children", "300"], "rc": [0, 1], "stdout_closed": True, "must_not": ["panicked"]},
            {"args": ["compute", "--sample-children", "300", "--measure", "list"], "rc": [0, 1], "stdout_closed": True, "must_not": ["panicked"]},
            {"args": ["synth", "--out", "{D}/s", "--children", "10"], "rc": [0, 1], "stdout_closed": True, "must_not": ["panicked"]},
        ],
    )

    # D13: control characters from the input reach the terminal.
    p = d("d13_escape")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes("\x1b[31mRED\x1b[0m,01/04/2023,S,C2,N1,ZZ,PR1,,,,,,", "A\rB,01/04/2023,S,C2,N1,ZZ,PR1,,,,,,"))
    case(
        "d13_escape",
        "D13: ESC and CR from the input are escaped in check's report",
        runs=[{"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "must": ["ZZ"], "must_not": ["\x1b", "\r"]}],
    )

    # D14: quadratic linking of one child's records. The time of 10,000 episodes against 2,500:
    # about 4 when linear, about 16 when quadratic.
    p = d("d14_one_child")
    s = _dt.date(1900, 1, 1)
    for n in (2500, 10000):
        parts = [
            "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>"
            "<Children><Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers>\n"
        ]
        for i in range(n):
            a = s + _dt.timedelta(days=2 * i)
            b = a + _dt.timedelta(days=1)
            parts.append(
                f"<CINdetails><CINreferralDate>{a}</CINreferralDate><Assessments><AssessmentActualStartDate>{a}</AssessmentActualStartDate>"
                f"<AssessmentAuthorisationDate>{b}</AssessmentAuthorisationDate></Assessments><ChildProtectionPlans><CPPstartDate>{a}</CPPstartDate>"
                f"<CPPendDate>{b}</CPPendDate></ChildProtectionPlans><CINclosureDate>{b}</CINclosureDate></CINdetails>\n"
            )
        parts.append("</Child></Children></Message>\n")
        _write(os.path.join(p, f"cin{n}.xml"), "".join(parts))
    case(
        "d14_one_child",
        "D14: one child's CIN episodes load in linear time: 4 times the episodes take under 8 times the CPU",
        runs=[
            {
                "args": ["summary", "--cin", "{D}/cin10000.xml"],
                "rc": [0],
                "scale": {"args": ["summary", "--cin", "{D}/cin2500.xml"], "max_ratio": 8},
            }
        ],
        cpu_s=30,
    )

    # D15: entity references.
    p = d("d15_entity")
    _write(
        os.path.join(p, "ent.xml"),
        '<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [ <!ENTITY id "C123"> <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&id;</CHILDID></HEADER>" + X903_EPISODE + "</CHILD></EXPSSDA903>\n",
    )
    case(
        "d15_entity",
        "D15: an entity reference in SSDA903 XML is rejected or reported, never kept as the text &id;",
        runs=[{"args": ["check", "--ssda903", "2024={D}/ent.xml"], "rc": [0, 1], "must": ["entit"], "must_not": ["root:"]}],
        request=req([0, 103], request={"ssda903": ["2024={D}/ent.xml"], "year": 2024}, must_not=["root:x"]),
    )

    # D16: CR-only line ends.
    p = d("d16_cr")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes("A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,", "A2,31/02/2023,S,C2,N1,U1,PR1,,,,,,", sep="\r"))
    case(
        "d16_cr",
        "D16: with CR-only line ends an issue names the row's own line",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "must": ["episodes.csv:3"]},
            check(["--ssda903", "2024={D}/ret"], rows={"episodes.csv": 2}),
        ],
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False, "rows": {"episodes.csv": 2}},
    )

    # D17: entries of a folder skipped without a word.
    p = d("d17_entries")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes(*_rows(2)))
    os.makedirs(os.path.join(p, "ret", "sub.csv"), exist_ok=True)
    # A plain note is not a table (a README beside the tables must not stop --strict); a file that
    # holds a table under another extension is.
    _write(os.path.join(p, "ret", "notes.txt"), "a note\n")
    _write(os.path.join(p, "ret", "more_episodes.txt"), _episodes(*_rows(1)))
    for link, target in [("loop.csv", "loop.csv"), ("dangling.csv", "nowhere.csv")]:
        if not os.path.lexists(os.path.join(p, "ret", link)):
            os.symlink(target, os.path.join(p, "ret", link))
    if not os.path.exists(os.path.join(p, "ret", "fifo.csv")):
        os.mkfifo(os.path.join(p, "ret", "fifo.csv"))
    for link, target in [("l1", "l2"), ("l2", "l1")]:
        if not os.path.lexists(os.path.join(p, link)):
            os.symlink(target, os.path.join(p, link))
    case(
        "d17_entries",
        "D17: a sub-folder named .csv, a symlink loop, a dangling symlink, a FIFO (never opened) and a table under a .txt name are each listed; a loop given as the return says so",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "must": ["sub.csv", "loop.csv", "dangling.csv", "fifo.csv", "more_episodes.txt"]},
            {"args": ["check", "--ssda903", "{D}/l1"], "rc": [1], "must": ["{D}/l1"], "must_not": ["no such file"]},
        ],
    )

    # D18: memory grows with the largest XML event.
    p = d("d18_big_text")
    with open(os.path.join(p, "cin.xml"), "wb") as f:
        f.write(b"<Message><Header><Note>")
        chunk = b"A" * (1 << 20)
        for _ in range(96):
            f.write(chunk)
        f.write(b"</Note><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children/></Message>")
    case(
        "d18_big_text",
        "D18: a 96 MB text node in an unmodelled element is not buffered (max RSS under 64 MB)",
        runs=[{"args": ["check", "--cin", "2024={D}/cin.xml"], "rc": [0], "max_rss_kb": 65536}],
    )

    # D20, D21: messages.
    case(
        "d20_synth_years",
        "D20: synth --years beyond the supported range says so",
        runs=[{"args": ["synth", "--out", "{D}/sy", "--children", "10", "--years", "9999-10000"], "rc": [0, 1], "must": ["2190"]}],
    )
    p = d("d21_messages")
    _write(os.path.join(p, "two_roots.xml"), _cin(1) + "<Message></Message>")
    _write(os.path.join(p, "utf16", "episodes.csv"), _episodes(*_rows(2)).encode("utf-16"))
    case(
        "d21_messages",
        "D21: messages name what the user gave: --year 2 and 3, 2023-02-29, two roots; a UTF-16 file is read or named",
        runs=[
            {"args": ["report", "--sample-children", "100", "--year", "2"], "rc": [1], "must_not": ["financial year 1 "]},
            {"args": ["report", "--sample-children", "100", "--year", "3"], "rc": [1], "must_not": ["0000-04-01"]},
            {"args": ["workdays", "2023-02-29", "2023-03-10"], "rc": [1, 2], "must": ["2023-02-29"], "must_not": ["between 0001 and 9999"]},
            {"args": ["check", "--cin", "2024={D}/two_roots.xml"], "rc": [1], "must": ["two_roots.xml"], "must_not": ["is <Message>, not <Message>"]},
            # Read as what it is, or named as UTF-16: never rows of NULs.
            check(["--ssda903", "2024={D}/utf16"], rc=[0, 1], must=['UTF-16 || "care_episodes": 2'], must_not=["\\u0000"]),
        ],
    )

    # Own probes.
    p = d("own_truncated")
    full = _cin(3)
    _write(os.path.join(p, "cin.xml"), full[: len(full) // 2])
    x903 = X903_HEAD + "<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER>" + X903_EPISODE + "</CHILD></EXPSSDA903>"
    _write(os.path.join(p, "903.xml"), x903[: len(x903) - 30])
    case(
        "own_truncated",
        "own: CIN and SSDA903 XML cut off half way are errors naming the file",
        runs=[
            {"args": ["check", "--cin", "2024={D}/cin.xml"], "rc": [1], "must": ["cin.xml"]},
            {"args": ["check", "--ssda903", "2024={D}/903.xml"], "rc": [1], "must": ["903.xml"]},
        ],
        request=req([103], request={"cin": ["2024={D}/cin.xml"], "year": 2024}, must=["cin.xml"]),
        py={"load": {"cin": ["2024={D}/cin.xml"]}, "error": True},
    )

    p = d("own_bom")
    _write(os.path.join(p, "ret", "episodes.csv"), "\ufeff" + _episodes(*_rows(3)))
    _write(os.path.join(p, "cin.xml"), "\ufeff" + '<?xml version="1.0" encoding="UTF-8"?>' + _cin(2))
    case(
        "own_bom",
        "own: a UTF-8 byte order mark before a CSV header or an XML declaration changes nothing",
        runs=[
            check(["--ssda903", "2024={D}/ret"], rows={"episodes.csv": 3}, loaded={"care_episodes": 3}),
            check(["--cin", "2024={D}/cin.xml"], loaded={"assessments": 2}),
        ],
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False, "rows": {"episodes.csv": 3}},
    )

    p = d("own_nul_utf8")
    _write(
        os.path.join(p, "ret", "episodes.csv"),
        (_episodes("A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,") + "A\x002,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n").encode()
        + b"A3,01/04/2023,S,C2,N1,U\xff\xfe,PR1,,,,,,\n"
        + b"A4,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n",
    )
    case(
        "own_nul_utf8",
        "own: a NUL in a child id and bytes that are not UTF-8 are reported on their lines; no raw NUL is echoed",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0], "must": ["episodes.csv:4"], "must_not": ["\x00"]},
            check(["--ssda903", "2024={D}/ret"], rows={"episodes.csv": 4}),
        ],
        request=req([0], request={"ssda903": ["2024={D}/ret"], "year": 2024, "measures": ["cla_at_end"]}),
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False, "rows": {"episodes.csv": 4}},
    )

    p = d("own_many_fields")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes("A1,01/04/2023,S,C2,N1,U1,PR1" + "," * 200_000, *_rows(2)))
    case(
        "own_many_fields",
        "own: a row of 200,000 fields is reported without echoing them all",
        runs=[check(["--ssda903", "2024={D}/ret"], rows={"episodes.csv": 3}, max_output=65536)],
        py={"load": {"ssda903": ["2024={D}/ret"]}, "error": False, "rows": {"episodes.csv": 3}},
    )

    p = d("own_deep")
    _write(
        os.path.join(p, "cin.xml"),
        CIN_HEAD.replace("<Children>", "") + "<X>" * 100_000 + "</X>" * 100_000 + "<Children>" + CIN_CHILD.format(n=1) + CIN_TAIL,
    )
    case(
        "own_deep",
        "own: 100,000 nested elements do not overflow the stack",
        runs=[{"args": ["check", "--cin", "2024={D}/cin.xml"], "rc": [0, 1], "must": ["cin.xml || assessments"]}],
        request=req([0, 103], request={"cin": ["2024={D}/cin.xml"], "year": 2024}),
        py={"load": {"cin": ["2024={D}/cin.xml"]}, "error": None},
    )

    p = d("own_empty")
    _write(os.path.join(p, "ret", "episodes.csv"), b"")
    _write(os.path.join(p, "cin.xml"), b"")
    case(
        "own_empty",
        "own: a 0-byte CSV table and a 0-byte CIN file are named",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [0, 1], "must": ["episodes.csv"]},
            {"args": ["check", "--cin", "2024={D}/cin.xml"], "rc": [1], "must": ["cin.xml"]},
        ],
        request=req([103], request={"cin": ["2024={D}/cin.xml"], "year": 2024}, must=["cin.xml"]),
        py={"load": {"cin": ["2024={D}/cin.xml"]}, "error": True},
    )

    p = d("own_dir_as_file")
    os.makedirs(os.path.join(p, "folder.xml"), exist_ok=True)
    case(
        "own_dir_as_file",
        "own: a folder given as a CIN file is an error naming it",
        runs=[{"args": ["check", "--cin", "2024={D}/folder.xml"], "rc": [1], "must": ["folder.xml"]}],
        request=req([103, 107], request={"cin": ["2024={D}/folder.xml"], "year": 2024}, must=["folder.xml"]),
        py={"load": {"cin": ["2024={D}/folder.xml"]}, "error": True},
    )

    p = d("own_unreadable")
    _write(os.path.join(p, "ret", "episodes.csv"), _episodes(*_rows(2)))
    _write(os.path.join(p, "cin.xml"), _cin(1))
    os.chmod(os.path.join(p, "ret", "episodes.csv"), 0)
    os.chmod(os.path.join(p, "cin.xml"), 0)
    case(
        "own_unreadable",
        "own: files without read permission are errors naming them",
        runs=[
            {"args": ["check", "--ssda903", "2024={D}/ret"], "rc": [1], "must": ["episodes.csv"]},
            {"args": ["check", "--cin", "2024={D}/cin.xml"], "rc": [1], "must": ["cin.xml"]},
        ],
        request=req([107], request={"cin": ["2024={D}/cin.xml"], "year": 2024}, must=["cin.xml"]),
        py={"load": {"cin": ["2024={D}/cin.xml"]}, "error": True},
        skip_as_root=True,
    )

    for name, request, status in [
        ("own_request_empty_path", {"ssda903": [""], "year": 2024}, [103, 107, 108]),
        ("own_request_empty_cin", {"cin": [""], "year": 2024}, [103, 107, 108]),
        ("own_request_empty_year_key", {"ssda903": ["=x"], "year": 2024}, [103, 107, 108]),
        ("own_request_negative_children", {"sample": {"children": -1}}, [106, 108]),
        ("own_request_huge_year", {"sample": {"children": 50}, "year": 99999999999}, [101, 108]),
        ("own_request_empty_option", {"sample": {"children": 50}, "options": {"": ""}}, [106, 108]),
        ("own_request_not_an_object", [], [108]),
        ("own_request_nested", {"measures": [[[[[[[[]]]]]]]]}, [108]),
    ]:
        case(name, "own: a JSON request with an empty, negative, huge or misshapen field", request=req(status, request=request))

    return out


def main() -> None:
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    json.dump(cases(root), sys.stdout)


if __name__ == "__main__":
    main()
