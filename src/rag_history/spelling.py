"""Turkish as students type it, mapped back to the sources' own words.

"gumru antlasmasi ne zaman imzalandi", "MOSKOVA ANTLAŞMASI NE ZAMAN İMZALANDI", "Moskovaya ne
zaman gitti" are the same questions as the ones written with Turkish letters, in sentence case
and with the apostrophe before the suffix. Each typed word is looked up by a key that folds
case and the Turkish letters (ı/i, ş/s, ğ/g, ç/c, ö/o, ü/u, â/a) and is replaced by the form
the sources themselves use most (outside sentence starts, so that a name keeps its capital and
a common word does not). A word the sources lack keeps its letters, unless it is a Turkish
function or question word ("nasil" -> "nasıl"); a name followed by a case ending without its
apostrophe ("Moskovaya") gets the apostrophe back. The sources are never folded: only the
look-up key is, so "sık" and "şık" stay two words of the text.

Measured and not used: nlptoolkit-deasciifier (15 s to load, 168 MB, 40-730 ms a question, and
"gumru", "yardim" left as typed, "sivas" made "sıvaş").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

from .lexical import APOSTROPHES, TURKISH_STOPWORDS, turkish_lower
from .settings import SpellingSettings

_FOLD = str.maketrans("ıİşŞğĞçÇöÖüÜâÂîÎûÛ", "iisSgGcCoOuUaAiIuU")
# Turkish words of every text (function and question words), which the sources may not contain.
GRAMMAR_WORDS = TURKISH_STOPWORDS | frozenset(
    """nasıl niçin neden nerede nereye nereden hangi hangisi kaç kimdir kimler kimlerle kimin kime ne zaman
    neler nedir neydi hangileri kaçıncı ilk son olarak sonucunda göre arasında arasındaki hakkında sonra önce
    üzerine yönelik karşı içinde dolayı niye nelerdir oldu olmuştur mıdır midir mudur müdür mı mi mu mü""".split())
# Case and possessive endings a name takes after an apostrophe, folded: "Moskova'ya", "Lenin'in".
_ENDINGS = frozenset("""a e ya ye da de ta te dan den tan ten nda nde ndan nden i u yi yu in un nin nun
    la le yla yle ki daki deki taki teki ndaki ndeki nin nun nun daki ya ye dir dur tir tur""".split())
_VOWELS, _BACK = frozenset("aıoueiöüâîû"), frozenset("aıouâû")
_WORD = re.compile(r"[^\W\d_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)?")
_APOSTROPHE = re.compile(f"([{APOSTROPHES}])")


def _split_ending(typed: str) -> tuple[str, str, str]:
    """("Moskova", "'", "ya") of "Moskova'ya"; (word, "", "") without an apostrophe."""
    return tuple((_APOSTROPHE.split(typed, maxsplit=1) + ["", ""])[:3])


def _harmonize_i(stem: str, suffix: str) -> str:
    """The ASCII i of a suffix as ı after a back vowel, as i after a front one."""
    out, back = [], None
    for c in stem:
        if c in _VOWELS:
            back = c in _BACK
    for c in suffix:
        if c == "i" and back:
            c = "ı"
        if c in _VOWELS:
            back = c in _BACK
        out.append(c)
    return "".join(out)


def turkish_upper_first(word: str) -> str:
    """The word with its first letter a capital, the Turkish way ("izmir" -> "İzmir")."""
    return ("İ" if word[:1] == "i" else word[:1].upper()) + word[1:]


def fold_key(word: str) -> str:
    """Case and Turkish letters folded: the look-up key, never shown."""
    return unicodedata.normalize("NFC", turkish_lower(word)).translate(_FOLD)


class SpellingRestorer:
    """Maps loosely typed words onto the forms the sources use."""

    def __init__(self, texts: Iterable[str], settings: SpellingSettings = SpellingSettings()):
        self.settings = settings
        inside: dict[str, Counter] = {}  # forms seen inside a sentence
        first: dict[str, Counter] = {}  # forms seen only where a sentence starts
        # Names of two words ("Moskova Antlaşması", "Büyük Millet"): after a capitalized word, a
        # word the sources capitalize there more often than not. Only pairs that open with a
        # capital are counted, which keeps the table small on a large course.
        after_capital: Counter = Counter()
        capital_after_capital: Counter = Counter()
        keys: dict[str, str] = {}  # fold_key of each distinct word, computed once
        for text in texts:
            previous = None  # (key, capitalized, end) of the word before
            for i, m in enumerate(_WORD.finditer(text)):
                word = _split_ending(m.group(0))[0]
                key = keys.get(word)
                if key is None:
                    key = keys[word] = fold_key(word)
                capital = word[:1].isupper()
                if previous and previous[1] and not text[previous[2]:m.start()].strip():
                    after_capital[previous[0], key] += 1
                    capital_after_capital[previous[0], key] += capital
                previous = (key, capital, m.end())
                if len(word) < 2:
                    continue
                # A capital at a sentence start says nothing of the word: that form counts only
                # when the sources never use the word anywhere else ("Havza" starts two sentences).
                starts = i == 0 or text[max(0, m.start() - 2):m.start()].strip() in {".", "!", "?", ":"}
                (first if starts else inside).setdefault(key, Counter())[word] += 1
        self._name_pairs = {k for k, n in after_capital.items() if capital_after_capital[k] * 2 > n}
        grammar = {fold_key(w): w for w in sorted(GRAMMAR_WORDS)}
        # Turkish of every text, unless the sources use the word inside a sentence ("Bu" starting
        # a sentence does not make "bu" a name).
        self._forms = {key: forms.most_common(1)[0][0] for key, forms in first.items() if key not in grammar}
        self._forms.update(grammar)
        self._forms.update({key: forms.most_common(1)[0][0] for key, forms in inside.items()})
        # Every form each word takes: a typed word that is one of them is kept ("mi", not "mı").
        self._spelled = {turkish_lower(f) for forms in (*first.values(), *inside.values()) for f in forms}
        self._spelled |= set(GRAMMAR_WORDS)
        # A name is capitalized wherever the sources use it inside a sentence ("Heyet-i Temsiliye"
        # does not make "heyet" one), or wherever they use it at all if only at sentence starts.
        self._names = {key for key, forms in inside.items()
                       if sum(n for f, n in forms.items() if f[:1].isupper()) >= settings.name_share * sum(forms.values())}
        self._names |= {key for key, forms in first.items() if key not in inside and key not in grammar
                        and all(f[:1].isupper() for f in forms)}

    def restore(self, text: str, language: str = "tr") -> str:
        """The question with each word as the sources write it, where the typing lost that. An
        English question only gets the capitals of the sources' names back (its letters are its
        own: "sure" is not "süre")."""
        letters = [c for c in text if c.isalpha()]
        case_free = bool(letters) and (all(not c.islower() for c in letters) or all(not c.isupper() for c in letters))
        if language == "tr":
            # A dotted capital İ anywhere says the typist has Turkish capitals, where I is ı.
            turkish_caps = "İ" in text
            restored = _WORD.sub(lambda m: self._word(m.group(0), case_free, turkish_caps), text)
            return self._name_runs(restored) if case_free else restored
        if not case_free:
            return text
        return _WORD.sub(lambda m: self._name_case(m.group(0)), text)

    def _name_runs(self, text: str) -> str:
        """Capitals back on the words of a name in a question whose case says nothing: the word
        after a name where the sources write the pair as one name ("Moskova antlaşması" ->
        "Moskova Antlaşması"), and a word the sources lack just before a name ("lozan
        Antlaşması'nda" -> "Lozan Antlaşması'nda")."""
        words = list(_WORD.finditer(text))
        out = [m.group(0) for m in words]
        stem = [fold_key(_split_ending(w)[0]) for w in out]
        for i in range(1, len(out)):
            if out[i - 1][:1].isupper() and (stem[i - 1], stem[i]) in self._name_pairs:
                out[i] = turkish_upper_first(out[i])
        for i in range(len(out) - 2, -1, -1):
            if out[i + 1][:1].isupper() and stem[i] not in self._forms and not out[i][:1].isupper():
                out[i] = turkish_upper_first(out[i])
        pieces, last = [], 0
        for m, w in zip(words, out):
            pieces += [text[last:m.start()], w]
            last = m.end()
        return "".join(pieces) + text[last:]

    def is_name(self, word: str) -> bool:
        """Whether the sources write this word as a name."""
        return fold_key(_split_ending(word)[0]) in self._names

    def _name_case(self, typed: str) -> str:
        word, apostrophe, ending = _split_ending(typed)
        key = fold_key(word)
        if key in self._names and fold_key(self._forms[key]) == fold_key(word) and word.lower() == self._forms[key].lower():
            return self._forms[key] + apostrophe + ending.lower()
        return typed.lower()

    def _word(self, typed: str, case_free: bool, turkish_caps: bool) -> str:
        word, apostrophe, ending = _split_ending(typed)
        key = fold_key(word)
        if key not in self._forms and not apostrophe:
            named = self._name_with_ending(key)
            if named:
                return named
        if turkish_lower(word) in self._spelled or not word.isascii():
            # Already a spelling of the sources (or of Turkish), or typed with Turkish letters: its
            # letters are the typist's ("öldü" is not the sources' "oldu"); only its case may change.
            form = turkish_lower(word)
        else:
            form = self._forms.get(key) or self._by_stem(key, word, turkish_caps)
        # Turkish writes an apostrophe only after a name ("LOZAN ANTLAŞMASI'NDA"): in a question
        # whose case says nothing, the word before one is a name, known to the sources or not.
        named = case_free and bool(apostrophe)
        if form is None:
            # Not a word of the sources: lower-cased if case says nothing, by the ASCII rule when
            # the question has no Turkish capitals ("TARIHTE" is "tarihte", not "tarıhte"; beside
            # "HANGİ", "ATANDI" is "atandı").
            if not case_free:
                return typed
            lower = turkish_lower(typed) if turkish_caps or not typed.isascii() else typed.lower()
            return turkish_upper_first(lower) if named else lower
        # A name of the sources keeps its capital; otherwise the capital is the typist's, when it says anything.
        capital = key in self._names or named or (not case_free and typed[:1].isupper())
        form = turkish_upper_first(form) if capital else turkish_lower(form[:1]) + form[1:]
        return form + apostrophe + (turkish_lower(ending) if case_free else ending)

    def _by_stem(self, key: str, word: str, turkish_caps: bool) -> str | None:
        """"mucadeleye" -> "mücadeleye": the letters of the longest word of the sources that starts
        the typed word, the rest as typed. The rest is suffixes, so an ASCII i there follows vowel
        harmony ("antlasmanin" -> "antlaşmanın" where "antlaşma" is known; "MECLISINDE" -> "meclisinde")."""
        for cut in range(len(key) - 1, self.settings.min_stem - 1, -1):
            if key[:cut] in self._forms:
                stem, rest = self._forms[key[:cut]], word[cut:]
                if turkish_caps or not rest.isascii():
                    return stem + turkish_lower(rest)
                return stem + _harmonize_i(stem, rest.lower())
        return None

    def _name_with_ending(self, key: str) -> str | None:
        """"moskovaya" -> "Moskova'ya": a name of the sources followed by a case ending."""
        for cut in range(len(key) - 1, 2, -1):
            if key[cut:] in _ENDINGS and key[:cut] in self._names:
                name = self._forms[key[:cut]]
                return f"{name}'{_harmonize_i(name, key[cut:])}"
        return None
