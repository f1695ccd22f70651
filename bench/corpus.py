#!/usr/bin/env python3
"""Write a seeded corpus of tech-news stories, for benchmarks: the same stories for Gazette and for Hugo.

    python bench/corpus.py DIR N [--seed 42] [--hugo]

Writes N markdown stories into DIR (created if needed) as DIR/<slug>.md. Each story has front matter like
the repository's own posts (title, date with its offset, 2–5 tags, `source:` with name, url and language,
author, summary, and `lang: en` for the English ones), then a body of 600–900 words: `##` headings,
paragraphs with emphasis and inline code, a bullet list, a link, a fenced code block and a blockquote.
About 55% of the stories are French and 45% English. Tags are drawn from 300 names with a Zipf (s = 1)
skew, so a few tags hold many stories and most hold a handful, as on a real news site.

With --hugo the same stories are written as Hugo reads them: the same keys, with `source`, `author` and
`lang` moved under `params:` (Hugo's place for a site's own fields) and the more marker as Hugo spells it.

Pure and deterministic: story i depends only on (seed, i), never on N, so the corpus of 1,000 stories is
the first 1,000 of the 10,000. Only the standard library is used, so a fresh clone can run it.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

FRENCH_SHARE = 0.55
MIN_WORDS, MAX_WORDS = 600, 900
TAG_COUNT = 300
FIRST = dt.datetime(2022, 1, 1)
SPAN_SECONDS = int((dt.datetime(2025, 1, 1) - FIRST).total_seconds())
# Offsets a desk's stories carry: Paris in winter and in summer, UTC, Beijing.
OFFSETS = ("+01:00", "+02:00", "+00:00", "+08:00")


def _split(text: str, separator: str | None = None) -> tuple[str, ...]:
    """Split a long literal list written as one string (easier to read than hundreds of quoted words)."""
    return tuple(text.split(separator))


TOPICS = _split(
    "IA, Chine, sécurité, cybersécurité, Python, Rust, Linux, open source, cloud, Europe, régulation, "
    "vie privée, données, Apple, Google, Microsoft, Nvidia, Meta, Amazon, OpenAI, Mistral AI, "
    "semi-conducteurs, énergie, télécoms, 5G, smartphones, Android, iOS, Windows, navigateurs, Firefox, "
    "Chrome, JavaScript, TypeScript, Go, Kotlin, WebAssembly, bases de données, PostgreSQL, SQLite, "
    "Kubernetes, Docker, DevOps, réseaux, internet, startups, financement, emploi, éducation, santé, spatial, "
    "automobile, véhicules électriques, batteries, jeux vidéo, matériel, processeurs, ARM, RISC-V, quantique, "
    "blockchain, ransomware, phishing, failles, CVE, RGPD, CNIL, justice, brevets, antitrust, États-Unis, Inde, "
    "Japon, Corée du Sud, Taïwan, Allemagne, France, Royaume-Uni, Afrique, souveraineté, supercalculateurs, "
    "HPC, LLM, robotique, drones, satellites, streaming, réseaux sociaux, modération, désinformation, "
    "élections, télétravail, compilateurs, performances, accessibilité, Azure OpenAI, TiDB, end of life",
    ", ",
)
TOPIC_SUFFIXES = ("", " générative", " embarquée", " industrielle", " mobile", " web", " entreprise", " recherche")

WORDS = {
    "fr": _split(
        "le la les un une des du de et ou mais donc car pour avec sans sous sur dans entre vers chez après "
        "avant pendant selon depuis malgré alors entreprise marché utilisateurs développeurs données serveur "
        "logiciel version sécurité faille correctif réseau plateforme service modèle calcul puce processeur "
        "mémoire stockage coût prix annonce lancement projet communauté licence contributeurs gouvernement "
        "autorité régulateur amende enquête rapport étude analyse chercheurs laboratoire université ingénieurs "
        "équipe direction stratégie croissance trimestre milliards millions investissement concurrent "
        "partenaire client usage adoption déploiement infrastructure énergie consommation électricité "
        "efficacité rapide nouveau nouvelle important majeur critique ouvert public privé européen américain "
        "chinois français mondial numérique technique confirme explique précise estime prévoit propose publie "
        "lance corrige améliore réduit augmente accélère remplace intègre teste également toutefois notamment "
        "cependant désormais encore déjà bientôt très plus moins aussi ainsi ensuite enfin surtout l'équipe "
        "d'après qu'il s'agit aujourd'hui"
    ),
    "en": _split(
        "the a an of and or but so for with without under over into between across after before during "
        "according since despite while then company market users developers data server software release "
        "update security vulnerability patch network platform service model compute chip processor memory "
        "storage cost price announcement launch project community license contributors government authority "
        "regulator fine investigation report study analysis researchers lab university engineers team "
        "leadership strategy growth revenue quarter billion million investment competitor partner customer "
        "usage adoption rollout infrastructure energy consumption power efficiency fast new important major "
        "critical open public private European American Chinese global digital technical confirms explains "
        "says expects proposes publishes launches fixes improves reduces increases replaces integrates tests "
        "also however notably meanwhile now still already soon very more less thus finally especially it's "
        "company's don't"
    ),
}
TECH_TERMS = _split(
    "GPU API SDK cloud kernel backend framework benchmark LLM Rust Python Linux firmware datacenter token "
    "pipeline cluster container browser"
)
COMMANDS = ("pip", "git", "make", "cargo", "npm", "uv", "gcc", "kubectl")

TITLES = {
    "fr": (
        "{org} annonce {thing} pour {who}",
        "{thing} : {org} accélère face à {org2}",
        "Pourquoi {thing} inquiète {who}",
        "{org} corrige une faille critique dans {thing}",
        "{place} : le régulateur s'attaque à {org}",
        "Comment {org} veut réinventer {thing}",
        "{org} lève {money} pour {thing}",
    ),
    "en": (
        "{org} unveils {thing} for {who}",
        "{thing}: {org} races ahead of {org2}",
        "Why {thing} worries {who}",
        "{org} patches critical flaw in {thing}",
        "{place} regulator takes aim at {org}",
        "How {org} wants to reinvent {thing}",
        "{org} raises {money} for {thing}",
    ),
}
ORGS = _split(
    "Apple Google Microsoft Nvidia Meta Amazon OpenAI Huawei Samsung TSMC Intel AMD Arm Canonical Mozilla "
    "OVHcloud Scaleway Alibaba Baidu Tencent ByteDance Qualcomm IBM Oracle SAP Thales Orange"
)
THINGS = {
    "fr": (
        "son nouveau modèle de langage",
        "une puce dédiée à l'IA",
        "le noyau Linux 6.x",
        "une offre cloud souveraine",
        "un navigateur plus sobre",
        "un SDK open source",
        "une base de données vectorielle",
        "le chiffrement de bout en bout",
        "un assistant de code",
    ),
    "en": (
        "its new language model",
        "a dedicated AI chip",
        "Linux kernel 6.x",
        "a sovereign cloud offer",
        "a leaner browser",
        "an open source SDK",
        "a vector database",
        "end-to-end encryption",
        "a coding assistant",
    ),
}
AUDIENCES = {
    "fr": ("les développeurs", "les PME", "les opérateurs", "les chercheurs", "les administrations"),
    "en": ("developers", "small businesses", "carriers", "researchers", "public agencies"),
}
PLACES = ("Europe", "Chine", "France", "Inde", "Japon", "Californie", "Allemagne", "Taïwan")
SUMS = ("120 millions d'euros", "2 milliards de dollars", "45 M€", "600 millions de dollars", "1,3 milliard")
HEADINGS = {
    "fr": ("Contexte", "Ce qui change", "Les chiffres clés", "Réactions", "Côté technique", "Et maintenant ?"),
    "en": ("Background", "What changes", "Key figures", "Reactions", "Under the hood", "What's next"),
}
AUTHORS = ("Rédaction", "Camille Martin", "Léa Dubois", "Sam Taylor")
# (outlet, address of its stories, language)
OUTLETS = (
    ("ITHome", "https://www.ithome.com/0", "zh"),
    ("Le Monde Informatique", "https://www.lemondeinformatique.fr/actualites", "fr"),
    ("Numerama", "https://www.numerama.com/tech", "fr"),
    ("Next", "https://next.ink", "fr"),
    ("ZDNet France", "https://www.zdnet.fr/actualites", "fr"),
    ("Ars Technica", "https://arstechnica.com/information-technology", "en"),
    ("The Register", "https://www.theregister.com", "en"),
    ("LWN.net", "https://lwn.net/Articles", "en"),
    ("Heise", "https://www.heise.de/news", "de"),
    ("TechCrunch", "https://techcrunch.com", "en"),
)
CODE = (
    (
        "python",
        'import hashlib\n\n\ndef fingerprint(path: str) -> str:\n    """Return the SHA-256 of a file."""\n'
        '    digest = hashlib.sha256()\n    with open(path, "rb") as handle:\n'
        "        while block := handle.read(1 << 16):\n            digest.update(block)\n"
        "    return digest.hexdigest()",
    ),
    (
        "rust",
        "fn tokens_per_second(tokens: u64, seconds: f64) -> f64 {\n    if seconds <= 0.0 {\n"
        "        return 0.0;\n    }\n    tokens as f64 / seconds\n}\n\nfn main() {\n"
        '    println!("{:.0} tok/s", tokens_per_second(4096, 0.42));\n}',
    ),
    (
        "bash",
        "git clone https://example.org/project.git\ncd project\n"
        'make -j"$(nproc)" && sudo make install\nproject --version',
    ),
    (
        "json",
        '{\n  "name": "edge-runtime",\n  "version": "2.4.1",\n  "features": ["wasm", "tls13"],\n'
        '  "limits": {"memory_mb": 512, "timeout_s": 30}\n}',
    ),
    (
        "go",
        'package main\n\nimport "fmt"\n\nfunc main() {\n\tfor i, cve := range []string{"CVE-2024-3094"} {\n'
        "\t\tfmt.Println(i, cve)\n\t}\n}",
    ),
)


@dataclass(frozen=True, slots=True)
class Story:
    """One generated story: its front matter values and its markdown body."""

    number: int
    lang: str
    title: str
    slug: str
    date: str
    tags: tuple[str, ...]
    source_name: str
    source_url: str
    source_lang: str
    author: str
    summary: str
    body: str


def slugify(text: str) -> str:
    """Make an ASCII slug of a text: accents dropped, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _tag_pool() -> tuple[str, ...]:
    """Give TAG_COUNT tag names, distinct once slugified, the most used first (a fixed shuffle)."""
    names: list[str] = []
    seen: set[str] = set()
    for suffix, topic in itertools.product(TOPIC_SUFFIXES, TOPICS):
        name = topic + suffix
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    pinned, rest = names[:3], names[3:TAG_COUNT]
    random.Random("tag-ranks").shuffle(rest)
    return (*pinned, *rest)


TAGS = _tag_pool()
# Cumulative Zipf weights: the tag of rank r is drawn with a chance proportional to 1 / r.
_ZIPF = tuple(itertools.accumulate(1.0 / rank for rank in range(1, len(TAGS) + 1)))
_WORDLIKE = re.compile(r"\w")


def count_words(markdown: str) -> int:
    """Count a body's words: tokens between spaces with a letter or digit, outside code blocks and markers."""
    prose = re.sub(r"^```.*?^```$|<!-- more -->", "", markdown, flags=re.MULTILINE | re.DOTALL)
    return sum(1 for token in prose.split() if _WORDLIKE.search(token))


def _tags(rng: random.Random) -> tuple[str, ...]:
    """Draw 2 to 5 distinct tags, Zipf-skewed."""
    wanted = rng.randint(2, 5)
    chosen: list[str] = []
    while len(chosen) < wanted:
        tag = TAGS[bisect.bisect_left(_ZIPF, rng.random() * _ZIPF[-1])]
        if tag not in chosen:
            chosen.append(tag)
    return tuple(chosen)


def _sentence(rng: random.Random, lang: str, size: int) -> str:
    """Make a sentence of exactly `size` words, a few of them tech terms, inline code, emphasis or numbers."""
    draw = rng.random
    words = rng.choices(WORDS[lang], k=size)
    for _ in range(int(draw() * 4)):  # 0 to 3 words dressed up (plain random() calls: 100,000 stories add up)
        position = int(draw() * size)
        kind = int(draw() * 5)
        if kind == 0:
            words[position] = TECH_TERMS[int(draw() * len(TECH_TERMS))]
        elif kind == 1:
            words[position] = f"`{COMMANDS[int(draw() * len(COMMANDS))]}`"
        elif kind == 2:
            words[position] = f"**{words[position].strip('*')}**"
        elif kind == 3:
            words[position] = f"*{words[position].strip('*')}*"
        else:
            words[position] = str(2 + int(draw() * 2023))
    if size > 10 and draw() < 0.4:
        words[size // 2] += ","
    words[0] = words[0][:1].upper() + words[0][1:]
    end = "." if draw() < 0.8 else (" ?" if lang == "fr" else "?")
    return " ".join(words) + end


def _paragraph(rng: random.Random, lang: str, size: int) -> str:
    """Make a paragraph of exactly `size` words, in sentences of 8 to 22 words."""
    sentences: list[str] = []
    while size > 0:
        length = min(size, 8 + int(rng.random() * 15))
        if 0 < size - length < 4:  # no stub sentence at the end
            length = size
        sentences.append(_sentence(rng, lang, length))
        size -= length
    return " ".join(sentences)


def _body(rng: random.Random, lang: str, slug: str) -> str:
    """Make a body of 600 to 900 words: lead, four sections, list, link, code, quote."""
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    first, second, third, fourth = rng.sample(HEADINGS[lang], 4)
    language, code = rng.choice(CODE)
    see = "Voir" if lang == "fr" else "See"
    label = "l'annonce officielle" if lang == "fr" else "the official announcement"
    link = f"{see} [{label}](https://example.org/{slug[:24]}/{rng.randint(1000, 9999)})."
    items = "\n".join("- " + _sentence(rng, lang, rng.randint(5, 12)) for _ in range(rng.randint(3, 6)))
    quote = f"> {_sentence(rng, lang, rng.randint(12, 20))}\n> {_sentence(rng, lang, rng.randint(8, 14))}"
    parts = [_paragraph(rng, lang, rng.randint(40, 70))]
    if rng.random() < 0.3:
        parts.append("<!-- more -->")
    parts += [f"## {first}", _paragraph(rng, lang, rng.randint(50, 90)), items]
    parts += [f"## {second}", f"{_paragraph(rng, lang, rng.randint(40, 80))} {link}"]
    parts += [f"```{language}\n{code}\n```", f"## {third}", quote, f"## {fourth}"]
    remaining = target - sum(count_words(part) for part in parts)
    while remaining > 0:
        size = remaining if remaining < 120 else rng.randint(60, 110)
        parts.append(_paragraph(rng, lang, size))
        remaining -= size
    return "\n\n".join(parts) + "\n"


def make_story(number: int, seed: int) -> Story:
    """Make story `number` of the corpus of `seed`; it does not depend on how many stories are made."""
    rng = random.Random(f"gazette-bench:{seed}:{number}")
    lang = "fr" if rng.random() < FRENCH_SHARE else "en"
    org, other = rng.sample(ORGS, 2)
    title = rng.choice(TITLES[lang]).format(
        org=org,
        org2=other,
        thing=rng.choice(THINGS[lang]),
        who=rng.choice(AUDIENCES[lang]),
        place=rng.choice(PLACES),
        money=rng.choice(SUMS),
    )
    title = title[0].upper() + title[1:]
    slug = f"{slugify(title)[:60].strip('-')}-{number:06d}"
    when = FIRST + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
    outlet, address, source_lang = rng.choice(OUTLETS)
    summary = re.sub(r"[*`]", "", _sentence(rng, lang, rng.randint(18, 30)))
    return Story(
        number=number,
        lang=lang,
        title=title,
        slug=slug,
        date=when.strftime("%Y-%m-%dT%H:%M:%S") + rng.choice(OFFSETS),
        tags=_tags(rng),
        source_name=outlet,
        source_url=f"{address}/{when:%Y/%m}/{slug}",
        source_lang=source_lang,
        author=rng.choice(AUTHORS),
        summary=summary,
        body=_body(rng, lang, slug),
    )


def _quoted(text: str) -> str:
    """Quote a text for YAML: a JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def _common(story: Story) -> list[str]:
    """Write the front matter lines both generators read the same way."""
    tags = ", ".join(_quoted(tag) for tag in story.tags)
    return [f"title: {_quoted(story.title)}", f"date: {story.date}", f"tags: [{tags}]"]


def _attribution(story: Story, indent: str) -> list[str]:
    """Write the `source:` mapping and the author, indented as their parent mapping wants."""
    return [
        f"{indent}source:",
        f"{indent}  name: {_quoted(story.source_name)}",
        f"{indent}  url: {story.source_url}",
        f"{indent}  lang: {story.source_lang}",
        f"{indent}author: {_quoted(story.author)}",
    ]


def to_gazette(story: Story) -> str:
    """Write a story as a Gazette post, front matter as in the repository's own posts."""
    lang = [f"lang: {story.lang}"] if story.lang != "fr" else []
    lines = ["---", *_common(story), *_attribution(story, ""), f"summary: {_quoted(story.summary)}", *lang, "---"]
    return "\n".join(lines) + "\n\n" + story.body


def to_hugo(story: Story) -> str:
    """Write a story as a Hugo page: Hugo's own keys at the top, the site's own fields under `params`."""
    lines = [
        "---",
        *_common(story),
        f"slug: {story.slug}",
        f"summary: {_quoted(story.summary)}",
        "params:",
        *_attribution(story, "  "),
        f"  lang: {story.lang}",
        "---",
    ]
    return "\n".join(lines) + "\n\n" + story.body.replace("<!-- more -->", "<!--more-->")


def stories(count: int, seed: int, start: int = 0) -> Iterator[Story]:
    """Make stories start … count - 1 of the corpus of `seed`."""
    for number in range(start, count):
        yield make_story(number, seed)


def _write_part(seed: int, start: int, stop: int, gazette: Path | None, hugo: Path | None) -> int:
    """Write stories start … stop - 1 in each form asked for; give their words."""
    words = 0
    for story in stories(stop, seed, start):
        if gazette is not None:
            (gazette / f"{story.slug}.md").write_text(to_gazette(story), encoding="utf-8")
        if hugo is not None:
            (hugo / f"{story.slug}.md").write_text(to_hugo(story), encoding="utf-8")
        words += count_words(story.body)
    return words


def write_corpus(count: int, seed: int, *, gazette: Path | None = None, hugo: Path | None = None, jobs: int = 1) -> int:
    """Write `count` stories as Gazette posts and/or Hugo pages, in `jobs` processes; give the words written."""
    for folder in (gazette, hugo):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    if jobs <= 1 or count < 2 * jobs:
        return _write_part(seed, 0, count, gazette, hugo)
    step = -(-count // (jobs * 4))
    with ProcessPoolExecutor(jobs) as pool:
        parts = [
            pool.submit(_write_part, seed, start, min(start + step, count), gazette, hugo)
            for start in range(0, count, step)
        ]
        return sum(part.result() for part in parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus the command line asks for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where to write the stories (created if needed)")
    parser.add_argument("count", type=int, help="how many stories")
    parser.add_argument("--seed", type=int, default=42, help="the corpus seed (default 42)")
    parser.add_argument("--hugo", action="store_true", help="write Hugo pages instead of Gazette posts")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes to write with (default: one a core)"
    )
    args = parser.parse_args(argv)
    folders = {"hugo": args.folder} if args.hugo else {"gazette": args.folder}
    words = write_corpus(args.count, args.seed, jobs=args.jobs, **folders)
    noun = "story" if args.count == 1 else "stories"
    print(f"wrote {args.count:,} {noun} to {args.folder}: {words / max(args.count, 1):.0f} words each on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
