"""What of a recorded output stream may reach an operator's terminal: a sans-io ECMA-48
parser (bytes in, safe text out) that keeps state across events, so that a sequence split
over two events, or a UTF-8 character split over two, is judged whole.

It is an allow-list: text, the ordinary controls (LF, CR, TAB, BS, BEL), SGR, cursor
movement and erasing within the screen, the scroll region, the alternate screen, cursor
visibility, autowrap, insert mode and the line-drawing charset. Everything else is dropped:
OSC (title, clipboard OSC 52, hyperlinks, palette, colours), DCS, SOS, PM, APC, queries
that make the terminal answer (DA, DSR, DECRQM, ENQ, DECID), keyboard, mouse and paste
modes, resets, charset switches, scrollback erasure. Allowed sequences are re-emitted in a
canonical 7-bit form only once complete, so the terminal is never left inside a sequence
the agent started, and :meth:`TerminalFilter.finish` undoes any mode still set.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import Any

ESC = "\x1b"
#: C0 controls passed through: BEL, BS, TAB, LF, CR.
_C0_KEPT = frozenset("\x07\x08\t\n\r")
#: Controls that abort any sequence in progress (CAN, SUB).
_ABORT = frozenset("\x18\x1a")
#: In ground state, the common case in one match: a run of text, kept controls and the CSI
#: sequences kept as they are whatever their (short, numeric) parameters: SGR, cursor
#: movement, erase in line, insert/delete; or one whole CSI sequence to judge. Anything
#: else goes char by char.
_FAST = re.compile(r"((?:[^\x00-\x06\x0b\x0c\x0e-\x1f\x7f-\x9f]+"
                   r"|\x1b\[[0-9;]{0,16}[@A-HKLMPSTXZ`adefm]|\x1b\[[012]?J)+)"
                   r"|\x1b\[([0-?]{0,64})([ -/]{0,8})([@-~])")
#: Inside OSC/DCS/SOS/PM/APC: the next character that may end the string.
_STRING_END = re.compile(r"[\x07\x18\x1a\x1b\x80-\x9f]")
_LAST_SGR = re.compile(r".*\x1b\[([0-9;]*)m", re.DOTALL)
_PARAMS = re.compile(r"[0-9;:]*")
_SEPARATORS = re.compile(r"[;:]")
#: ESC + one final character that is kept: save/restore cursor, index, reverse index, next line.
_ESC_KEPT = frozenset("78DEM")
#: CSI finals kept without a private marker (cursor movement, erase and insert within the
#: screen, scrolling, SGR); ``J``, ``r``, ``s``, ``u``, ``h``, ``l`` are checked below.
_CSI_KEPT = frozenset("@ABCDEFGHIJKLMPSTXZ`abdefmrsuhl")
#: DEC private modes kept (``CSI ? n h|l``) and their default (True: set).
_DEC_MODES = {"7": True, "25": True, "47": False, "1047": False, "1048": False,
              "1049": False}
#: The longest parameter string kept; a longer one is dropped whole.
MAX_PARAMS = 64
#: The largest numeric parameter kept (repeat counts, positions).
MAX_NUMBER = 9999

_GROUND, _ESCAPE, _ESC_INTER, _CSI, _STRING, _STRING_ESC = range(6)


class TerminalFilter:
    """Feed the output stream with :meth:`feed`; write what it returns; end with
    :meth:`finish`. No I/O, no clock."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._state = _GROUND
        self._buf = ""  # params + intermediates of a CSI, intermediates of an ESC sequence
        self._modes: dict[str, bool] = {}  # DEC private modes changed from their default
        self._insert = False
        self._charset = "B"
        self._sgr = False  # colours or attributes left set by the last SGR
        self._region = False

    def feed(self, data: bytes) -> str:
        """The safe part of ``data`` (bytes of the stream as the terminal would get them)."""
        return self._text(self._decoder.decode(data))

    def finish(self) -> str:
        """The rest of the stream, and what restores modes it left set (a truncated
        sequence is dropped)."""
        out = [self._text(self._decoder.decode(b"", final=True))]
        self._state, self._buf = _GROUND, ""
        if self._sgr:
            out.append(f"{ESC}[0m")
        if self._charset != "B":
            out.append(f"{ESC}(B")
        if self._insert:
            out.append(f"{ESC}[4l")
        if self._region:
            out.append(f"{ESC}7{ESC}[r{ESC}8")  # resetting the region homes the cursor
        for mode, on in self._modes.items():
            if on != _DEC_MODES[mode]:
                out.append(f"{ESC}[?{mode}{'h' if _DEC_MODES[mode] else 'l'}")
        self._modes.clear()
        self._insert = self._sgr = self._region = False
        self._charset = "B"
        return "".join(out)

    # -- the state machine ----------------------------------------------------------------
    def _text(self, text: str) -> str:
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            if self._state == _GROUND:
                m = _FAST.match(text, i)
                if m is not None:
                    if m.lastindex == 1:
                        run = m[1]
                        out.append(run)
                        if ESC in run:  # the last SGR says whether colours are left set
                            last = _LAST_SGR.match(run)
                            if last is not None:
                                self._sgr = last[1] not in ("", "0")
                    else:
                        kept = self._csi(m[2] + m[3], m[4])
                        if kept is not None:
                            out.append(f"{ESC}[{kept}")
                    i = m.end()
                    continue
            elif self._state == _STRING:  # dropped whole: skip to what may end it
                m = _STRING_END.search(text, i)
                if m is None:
                    break
                i = m.start()
            ch = text[i]
            i += 1
            cp = ord(ch)
            if 0x80 <= cp <= 0x9F:  # an 8-bit C1 control is its 7-bit ESC equivalent
                self._state = _ESCAPE if self._state not in (_STRING, _STRING_ESC) else \
                    self._state
                if self._state == _ESCAPE:
                    self._buf = ""
                    self._step(chr(cp - 0x40), out)
                elif cp == 0x9C:  # ST ends a string
                    self._state = _GROUND
                continue
            self._step(ch, out)
        return "".join(out)

    def _step(self, ch: str, out: list[str]) -> None:
        state = self._state
        if state in (_STRING, _STRING_ESC):
            if state == _STRING_ESC and ch == "\\":
                self._state = _GROUND
            elif ch == ESC:
                self._state = _STRING_ESC
            elif state == _STRING_ESC:  # ESC + anything else aborts the string
                self._state, self._buf = _ESCAPE, ""
                self._step(ch, out)
            elif ch == "\x07" or ch in _ABORT:
                self._state = _GROUND
            return
        if ch == ESC:
            self._state, self._buf = _ESCAPE, ""
            return
        if ch in _ABORT:
            self._state = _GROUND
            return
        if ch < " " or ch == "\x7f":
            # controls inside a sequence act as in ground state (ECMA-48), without ending it
            if ch in _C0_KEPT:
                out.append(ch)
            return
        if state == _GROUND:
            out.append(ch)
        elif state == _ESCAPE:
            self._escape(ch, out)
        elif state == _ESC_INTER:
            # intermediates run until a final character, as in a terminal: the text after
            # it is shown (bounded: the buffer stops growing, the sequence is dropped)
            if " " <= ch <= "/":
                if len(self._buf) <= MAX_PARAMS:
                    self._buf += ch
            else:
                if self._buf == "(" and ch in "0B":
                    self._charset = ch
                    out.append(f"{ESC}({ch}")
                elif ch > "~":
                    out.append(ch)
                self._state = _GROUND
        elif state == _CSI:
            if "0" <= ch <= "?" or " " <= ch <= "/":
                if len(self._buf) <= MAX_PARAMS:  # longer: dropped at its final character
                    self._buf += ch
            elif "@" <= ch <= "~":
                kept = self._csi(self._buf, ch) if len(self._buf) <= MAX_PARAMS else None
                if kept is not None:
                    out.append(f"{ESC}[{kept}")
                self._state = _GROUND
            else:  # not part of any CSI: the sequence is dropped, the character shown
                self._state = _GROUND
                out.append(ch)

    def _escape(self, ch: str, out: list[str]) -> None:
        self._buf = ""
        if ch == "[":
            self._state = _CSI
        elif ch in "]PX^_":  # OSC, DCS, SOS, PM, APC: dropped whole
            self._state = _STRING
        elif " " <= ch <= "/":
            self._state, self._buf = _ESC_INTER, ch
        else:
            if ch in _ESC_KEPT:
                out.append(ESC + ch)
            elif ch > "~":  # not an escape sequence: the ESC is dropped, the text shown
                out.append(ch)
            self._state = _GROUND

    def _csi(self, params: str, final: str) -> str | None:
        """The canonical sequence (without ``ESC [``) to send for a complete CSI, or None;
        notes the modes it sets, for :meth:`finish`."""
        kept, effect = _judge_csi(params, final)
        if kept is None or not effect:
            return kept
        kind, value = effect
        if kind == "modes":
            for mode in value:
                self._modes[mode] = final == "h"
        elif kind == "insert":
            self._insert = value
        elif kind == "region":
            self._region = value
        else:
            self._sgr = value
        return kept


@functools.lru_cache(maxsize=4096)
def _judge_csi(params: str, final: str) -> tuple[str | None, tuple[str, Any] | tuple[()]]:
    """Whether a CSI is kept (its canonical form) and the mode it changes, if any. Pure:
    cached, since output repeats the same few sequences."""
    if final not in _CSI_KEPT:
        return None, ()
    private = params[:1] == "?"
    body = params[1:] if private else params
    if not _PARAMS.fullmatch(body):  # other markers, intermediates: dropped
        return None, ()
    numbers = [int(p) for p in _SEPARATORS.split(body) if p]
    if any(p > MAX_NUMBER for p in numbers):
        return None, ()
    if private:
        modes = tuple(p for p in body.split(";") if p in _DEC_MODES)
        if final not in "hl" or not modes:
            return None, ()
        return "?" + ";".join(modes) + final, ("modes", modes)
    # CSI 3 J erases the scrollback, beyond the screen; CSI s and u with parameters set
    # margins or keyboard modes
    if final == "J" and 3 in numbers or final in "su" and body:
        return None, ()
    if final in "hl":
        if body != "4":  # insert mode only; others change keys or line endings
            return None, ()
        return body + final, ("insert", final == "h")
    if final == "r":
        return body + final, ("region", bool(body))
    if final == "m":
        return body + final, ("sgr", body not in ("", "0"))
    return body + final, ()
