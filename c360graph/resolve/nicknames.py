"""Nicknames and spelling variants of first names, mapped to one canonical form (data).

Each row reads `canonical: variant variant ...`. Spellings are folded at import (lower case,
no accents), so rows may be written naturally. Only unambiguous short forms are listed:
a form that is also a common given name on its own (Jack, Harry, Leo, Frank) would make
a father and son look like one person, so it is left to the fuzzy name levels instead.
Where a short form serves two names (Sam, Alex, Chris, Pat) the more frequent one wins.
"""

from __future__ import annotations

from c360graph.normalize.name import fold

_ROWS = """
robert: bob bobby rob robbie
william: bill billy will willy liam
elizabeth: liz lizzie lizzy beth betty bess eliza elisabeth élisabeth lisbeth liesel sissi babette
katherine: kate katie kathy kat catherine kathryn katharina kathi käthe cathy
michael: mike mick mickey micky mikey michi
james: jim jimmy jamie
richard: rick ricky dick richie
thomas: tom tommy
christopher: chris christophe kit
daniel: dan danny
matthew: matt matty mathieu matthieu
anthony: tony
joseph: joe joey
jonathan: jon jonny
nicholas: nick nicky nicolas nico
alexander: alex alec alexandre
benjamin: ben benny benji
samuel: sam sammy
andrew: andy drew
edward: ed eddie ted teddy ned
charles: charlie chuck
patrick: pat paddy
margaret: maggie peggy meg margarete grete gretel gretchen
jennifer: jen jenny
rebecca: becky becca
victoria: vicky vicki tori
susan: sue susie suzy
deborah: debbie deb debra
patricia: trish tricia patty
jessica: jess jessie
stephanie: steph
kimberly: kim
timothy: tim timmy
steven: steve stevie stephen
gregory: greg
jacqueline: jackie jacqui
abigail: abby abbie
zachary: zach zack
joshua: josh
nathaniel: nate
david: dave davy
peter: pete
frederick: fred freddie freddy frederic frédéric
gerald: gerry jerry
lawrence: larry
raymond: ray
ronald: ron ronnie
donald: don donnie
kenneth: ken kenny
douglas: doug
albert: al
jeffrey: jeff geoffrey
phillip: phil philip philippe
philippa: pippa
eleanor: ellie nell
amanda: mandy
barbara: barb babs babsi
dorothy: dot dottie
judith: judy
pamela: pam
sandra: sandy
theresa: tess tessa teresa
valerie: val
penelope: penny
josephine: josie
cynthia: cindy
johannes: hans hannes
josef: sepp seppl
friedrich: fritz
wolfgang: wolf
heinrich: heinz
wilhelm: willi
maximilian: max maxi
andreas: andi
rudolf: rudi
susanne: susi
emmanuel: manu
jean baptiste: jb
jose: pepe pepito
francisco: paco pancho curro kiko
manuel: manolo
dolores: lola loli
guillermo: memo guille
jesus: chucho chuy
ignacio: nacho
enrique: quique
concepcion: concha conchi
antonio: tono
rosario: charo
rafael: rafa
fernando: nando
roberto: beto
eduardo: lalo
mercedes: merche
francisca: paca paquita
josefa: pepa
santiago: santi
guadalupe: lupe
ramon: moncho
"""


def _table(rows: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in rows.strip().splitlines():
        canonical, _, variants = row.partition(":")
        for variant in variants.split():
            table[fold(variant)] = fold(canonical)
    return table


NICKNAMES: dict[str, str] = _table(_ROWS)


def canonical_first_name(key: str) -> str:
    """Return the canonical form of a folded first name ("bob" -> "robert"), else key itself."""
    return NICKNAMES.get(key, key)


def same_first_name(a: str, b: str) -> bool:
    """True when two folded first names are equal or nicknames of one canonical name."""
    return a == b or NICKNAMES.get(a, a) == NICKNAMES.get(b, b)
