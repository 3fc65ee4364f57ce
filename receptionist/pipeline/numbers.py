"""Numbers to words in English, Estonian and Russian (cardinals, date ordinals, currency agreement).

Only what a receptionist says aloud: integers up to the billions, ordinals 1..31 for days, years.
"""

from __future__ import annotations

# ---------------------------------------------------------------- English
_EN_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_ORD_IRREG = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                 "nine": "ninth", "twelve": "twelfth"}


def en_cardinal(n: int) -> str:
    if n < 0:
        return "minus " + en_cardinal(-n)
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _EN_TENS[t] + ("-" + _EN_ONES[o] if o else "")
    if n < 1000:
        h, r = divmod(n, 100)
        return _EN_ONES[h] + " hundred" + (" " + en_cardinal(r) if r else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            q, r = divmod(n, size)
            return en_cardinal(q) + " " + name + (" " + en_cardinal(r) if r else "")
    raise AssertionError(n)


def en_ordinal(n: int) -> str:
    words = en_cardinal(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in _EN_ORD_IRREG:
        last = _EN_ORD_IRREG[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def en_year(n: int) -> str:
    if 2000 <= n < 2010 or n % 1000 == 0:
        return en_cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return en_cardinal(hi) + " hundred"
    return en_cardinal(hi) + " " + (en_cardinal(lo) if lo >= 10 else "oh " + en_cardinal(lo))


# ---------------------------------------------------------------- Estonian
_ET_ONES = "null üks kaks kolm neli viis kuus seitse kaheksa üheksa".split()
_ET_GEN = "nulli ühe kahe kolme nelja viie kuue seitsme kaheksa üheksa".split()
_ET_ORD_NOM = ["", "esimene", "teine", "kolmas", "neljas", "viies", "kuues", "seitsmes", "kaheksas",
               "üheksas"]
_ET_ORD_GEN = ["", "esimese", "teise", "kolmanda", "neljanda", "viienda", "kuuenda", "seitsmenda",
               "kaheksanda", "üheksanda"]


def et_cardinal(n: int) -> str:
    if n < 0:
        return "miinus " + et_cardinal(-n)
    if n < 10:
        return _ET_ONES[n]
    if n == 10:
        return "kümme"
    if n < 20:
        return _ET_ONES[n - 10] + "teist"
    if n < 100:
        t, o = divmod(n, 10)
        return _ET_ONES[t] + "kümmend" + (" " + _ET_ONES[o] if o else "")
    if n < 1000:
        h, r = divmod(n, 100)
        return ("sada" if h == 1 else _ET_ONES[h] + "sada") + (" " + et_cardinal(r) if r else "")
    for size, one, many in ((10**9, "miljard", "miljardit"), (10**6, "miljon", "miljonit"),
                            (1000, "tuhat", "tuhat")):
        if n >= size:
            q, r = divmod(n, size)
            head = one if q == 1 and size > 1000 else (("" if q == 1 else et_cardinal(q) + " ") + many
                                                       if size == 1000 else et_cardinal(q) + " " + many)
            return head + (" " + et_cardinal(r) if r else "")
    raise AssertionError(n)


def _et_cardinal_gen(n: int) -> str:
    """Genitive of 10..90 (tens) used before an ordinal: 'kahekümne'."""
    if n == 10:
        return "kümne"
    t = n // 10
    return _ET_GEN[t] + "kümne"


def et_ordinal(n: int, case: str = "nom") -> str:
    """Ordinal 1..99; case "nom" (esimene), "gen" (esimese), "ade" (esimesel), "ela" (esimesest), "ter"."""
    if not 1 <= n <= 99:
        return et_cardinal(n)
    if n < 10:
        nom, gen = _ET_ORD_NOM[n], _ET_ORD_GEN[n]
    elif n == 10:
        nom, gen = "kümnes", "kümnenda"
    elif n < 20:
        nom, gen = _ET_GEN[n - 10] + "teistkümnes", _ET_GEN[n - 10] + "teistkümnenda"
    elif n % 10 == 0:
        nom, gen = _ET_GEN[n // 10] + "kümnes", _ET_GEN[n // 10] + "kümnenda"
    else:
        prefix = _et_cardinal_gen(n - n % 10) + " "
        return prefix + et_ordinal(n % 10, case)
    # the terminative (-ni) is marked on the noun only: "neljanda detsembrini"
    return {"nom": nom, "gen": gen, "ade": gen + "l", "ter": gen, "ela": gen + "st"}[case]


# ---------------------------------------------------------------- Russian
_RU_ONES_M = ("ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
              "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать").split()
_RU_TENS = "_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто".split()
_RU_HUNDREDS = "_ сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот".split()
_RU_ORD_STEMS = ("_ перв втор трет четвёрт пят шест седьм восьм девят десят одиннадцат двенадцат "
                 "тринадцат четырнадцат пятнадцат шестнадцат семнадцат восемнадцат девятнадцат").split()
_RU_TENS_ORD = "_ _ двадцат тридцат сороков пятидесят шестидесят семидесят восьмидесят девяност".split()


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    n = abs(n) % 100
    if 11 <= n <= 19:
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(n % 10, many)


def _ru_below_1000(n: int, feminine: bool) -> list[str]:
    words: list[str] = []
    h, r = divmod(n, 100)
    if h:
        words.append(_RU_HUNDREDS[h])
    if r >= 20:
        t, r = divmod(r, 10)
        words.append(_RU_TENS[t])
    if r or not words:
        w = _RU_ONES_M[r]
        if feminine and r in (1, 2):
            w = "одна" if r == 1 else "две"
        words.append(w)
    return words


def ru_cardinal(n: int, feminine: bool = False) -> str:
    if n < 0:
        return "минус " + ru_cardinal(-n, feminine)
    if n == 0:
        return "ноль"
    words: list[str] = []
    for size, forms, fem in ((10**9, ("миллиард", "миллиарда", "миллиардов"), False),
                             (10**6, ("миллион", "миллиона", "миллионов"), False),
                             (1000, ("тысяча", "тысячи", "тысяч"), True)):
        if n >= size:
            q, n = divmod(n, size)
            words += _ru_below_1000(q, fem) + [ru_plural(q, *forms)]
    if n:
        words += _ru_below_1000(n, feminine)
    return " ".join(words)


def _ru_ordinal_stem(n: int) -> str:
    if n < 20:
        return _RU_ORD_STEMS[n]
    if n % 10 == 0:
        return _RU_TENS_ORD[n // 10]
    return _RU_TENS[n // 10] + " " + _RU_ORD_STEMS[n % 10]


_RU_ENDINGS = {  # (hard stem ending, "трет" soft ending)
    "nom_n": ("ое", "ье"), "gen": ("ого", "ьего"), "dat": ("ому", "ьему"),
}


def ru_ordinal(n: int, case: str = "nom_n") -> str:
    """Ordinal 1..99 in the neuter nominative ('первое') or masc./neut. genitive/dative."""
    if not 1 <= n <= 99:
        return ru_cardinal(n)
    stem = _ru_ordinal_stem(n)
    hard, soft = _RU_ENDINGS[case]
    if stem.endswith("трет"):
        return stem + soft
    if case == "nom_n" and (stem.endswith("втор") or stem.endswith("шест") or stem.endswith("седьм")
                            or stem.endswith("восьм") or stem.endswith("сороков")):
        return stem + "ое"
    return stem + hard


def ru_year_genitive(n: int) -> str:
    """'2026' -> 'две тысячи двадцать шестого' (as in '... года')."""
    if 2000 <= n <= 2099:
        rest = n - 2000
        return "двухтысячного" if rest == 0 else "две тысячи " + ru_ordinal(rest, "gen")
    return ru_cardinal(n)
