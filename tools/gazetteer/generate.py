#!/usr/bin/env python3
"""Builds the compact gazetteer files the extractor embeds (src/Dashboard.Web/Extraction/Data/).

Run from the repository root, with the shared data sets next to it:

    python3 tools/gazetteer/generate.py [--data ../shared/data]

Inputs (never copied, only derived from):
  countries/countries.json        mledoze/countries, ODbL-1.0      -> countries.tsv (a derived database, ODbL)
  world-cities/world-cities.csv   GeoNames via datasets/world-cities, CC-BY-4.0 -> cities.tsv
  names/global_popular_names.csv  Joerg Michael's list, GNU FDL 1.2 -> first-names.txt
  names/ssa_maxoccurances.txt     SSA, public domain (how common a given name is)
  bbc-news-dev, reuters21578-dev, conll2003: only counted, to find city and first names that are
  also common English words or surnames (the data sets have no population column, so ambiguity is
  judged from usage instead).
  conll2003/eng.train (the training split only; eng.testa stays the development set) -> name-words.txt
  (words nearly always part of a person's name) and organizations-learned.txt (names nearly always an
  organisation), both counted, never copied as text; of those name words, the ordinary words ->
  name-words-common.txt, and the given names among them ("Mark", "Will") -> given-names-common.txt.
Hand-written inputs kept next to this script: country-aliases.tsv, city-overrides.tsv, stop-words.txt.
"""
import argparse, collections, csv, glob, html, json, os, re, unicodedata

# The first-class cricket counties (ArticleExtractor.CountyClubs in the app holds the same list).
COUNTY_CLUBS = {'Derbyshire', 'Durham', 'Essex', 'Glamorgan', 'Gloucestershire', 'Hampshire', 'Kent', 'Lancashire',
                'Leicestershire', 'Middlesex', 'Northamptonshire', 'Nottinghamshire', 'Somerset', 'Surrey', 'Sussex',
                'Warwickshire', 'Worcestershire', 'Yorkshire'}

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'src', 'Dashboard.Web', 'Extraction', 'Data'))
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# World-cities country labels that no countries.json spelling covers.
# Federations whose first-level regions are named in the news as often as their cities.
# The United Kingdom's nations ("Scotland", "Wales") and Ireland's provinces name their country too.
REGION_COUNTRIES = {'US', 'CA', 'AU', 'IN', 'BR', 'MX', 'CN', 'DE', 'NG', 'PK', 'GB', 'IE'}
# Regions that news uses for another country as often as for their own: Ulster is also Northern Ireland (GB).
REGION_EXCLUDED = {'Ulster'}

# The languages whose names of countries are read, from countries.json's translations: the Latin-script languages
# of the news most monitored after English.
TRANSLATION_LANGUAGES = ['deu', 'fra', 'spa', 'ita', 'por', 'nld', 'pol', 'swe', 'tur']

CITY_COUNTRY_FIXES = {'Taiwan, Province of China': 'TW', 'Cabo Verde': 'CV',
                      'No country found for alpha-2 code: XK': 'XK'}


def fold(s):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace('ʻ', "'").replace('’', "'").replace('ʼ', "'").replace('ı', 'i').replace('ł', 'l') \
        .replace('Ł', 'L').replace('ø', 'o').replace('Ø', 'O').replace('đ', 'd').replace('Đ', 'D').replace('ß', 'ss')


def latin(s):
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in s)


def word_usage(data):
    """Counts of each word written lower-case and capitalised mid-sentence, over the news corpora."""
    lower, upper = collections.Counter(), collections.Counter()

    def feed(text):
        for sentence in re.split(r'[.!?\n]\s+', text):
            words = WORD.findall(sentence)
            for i, w in enumerate(words):
                if w.islower():
                    lower[w] += 1
                elif i > 0 and w[0].isupper() and not w.isupper():
                    upper[w.lower()] += 1

    for path in glob.glob(os.path.join(data, 'bbc-news-dev', '*', '*.txt')):
        feed(open(path, encoding='utf-8', errors='replace').read())
    for path in glob.glob(os.path.join(data, 'reuters21578-dev', '*.sgm')):
        raw = open(path, encoding='latin-1').read()
        for body in re.findall(r'<BODY>(.*?)</BODY>', raw, re.S):
            feed(html.unescape(body))
    return lower, upper


# Headlines of CoNLL-2003 sports stories start with the sport: "SOCCER - JAPAN GET LUCKY WIN".
SPORTS = {'SOCCER', 'CRICKET', 'BASEBALL', 'TENNIS', 'GOLF', 'CYCLING', 'ATHLETICS', 'RUGBY', 'BASKETBALL', 'RALLYING',
          'MOTOR', 'SQUASH', 'BOXING', 'HORSE', 'BADMINTON', 'MOTORCYCLING', 'MOTOCROSS', 'ICE', 'HOCKEY', 'NFL', 'NHL',
          'NBA', 'SKIING', 'SWIMMING', 'ROWING', 'SAILING', 'YACHTING', 'VOLLEYBALL', 'HANDBALL', 'JUDO', 'SNOOKER',
          'FENCING', 'GYMNASTICS', 'TRIATHLON', 'WRESTLING', 'EQUESTRIANISM', 'SPEEDWAY', 'OLYMPICS', 'DARTS',
          'AMERICAN', 'FOOTBALL', 'POLO', 'LACROSSE', 'ARCHERY', 'WEIGHTLIFTING', 'SHOOTING', 'CANOEING', 'BOBSLEIGH'}


def non_place_tokens(data):
    """Tokens the CoNLL-2003 annotators tagged as part of a person, organisation or other name more
    often than as a location ("Douglas", "Delta", "Warburg"). Organisations in sports stories are left
    out: teams are named after their cities ("Boston beat Seattle 5-3", "Barcelona", "Bordeaux"), which
    made Boston, Seattle, Montreal and Rotterdam look like organisation names and dropped them from the
    gazetteer. Players still count: "Murphy" stays a surname."""
    other, loc = collections.Counter(), collections.Counter()
    for path in glob.glob(os.path.join(data, 'conll2003', 'eng.*')):
        sport, headline = False, False
        for line in open(path, encoding='utf-8', errors='replace'):
            parts = line.split()
            if parts and parts[0] == '-DOCSTART-':
                sport, headline = False, True
                continue
            if headline and parts:
                sport, headline = parts[0].upper() in SPORTS, False
            if len(parts) == 4:
                if parts[3].endswith(('PER', 'MISC')) or parts[3].endswith('ORG') and not sport:
                    other[parts[0]] += 1
                elif parts[3].endswith('LOC'):
                    loc[parts[0]] += 1
    return {t for t, n in other.items() if n > loc[t]}


def conll_sentences(path):
    sentences, current = [], []
    for line in open(path, encoding='utf-8', errors='replace'):
        parts = line.split()
        if not parts or parts[0] == '-DOCSTART-':
            if current:
                sentences.append(current)
            current = []
            continue
        current.append((parts[0], parts[3]))
    if current:
        sentences.append(current)
    return sentences


def conll_spans(sentence):
    """(type, start, end) of each IOB1 entity in a sentence."""
    spans, open_type, start = [], None, 0
    for i, (_, tag) in enumerate(sentence + [('', 'O')]):
        kind = None if tag == 'O' else tag[2:]
        if kind is None or tag[0] == 'B' or kind != open_type:
            if open_type:
                spans.append((open_type, start, i))
            open_type, start = kind, i
    return spans


def learned_actors(data, places):
    """Organisation names and person-name words from the CoNLL-2003 training split, kept when the
    annotators tagged them so in most of their occurrences: a name seen twice as an organisation and
    nowhere else is a good bet in new text too. Place names are left to the gazetteer."""
    sentences = conll_sentences(os.path.join(data, 'conll2003', 'eng.train'))
    entities = collections.Counter()
    for s in sentences:
        for kind, a, b in conll_spans(s):
            entities[(kind, ' '.join(w for w, _ in s[a:b]))] += 1
    candidates = {text for _, text in entities}
    occurrences = collections.Counter()
    for s in sentences:
        words = [w for w, _ in s]
        for n in range(1, 6):
            for i in range(len(words) - n + 1):
                g = ' '.join(words[i:i + n])
                if g in candidates:
                    occurrences[g] += 1
    orgs = set()
    for (kind, text), count in entities.items():
        if kind != 'ORG' or count < 2 or count < 0.6 * max(count, occurrences[text]):
            continue
        # All-caps team names of results tables ("BALTIMORE") and place names stay places.
        if text.isupper() and len(text) > 5 or fold(text).lower() in places or not text[:1].isupper():
            continue
        orgs.add(fold(text))
    person, total = collections.Counter(), collections.Counter()
    for s in sentences:
        for w, tag in s:
            total[w] += 1
            if tag.endswith('PER'):
                person[w] += 1
    words = {fold(w) for w, n in person.items()
             if n >= 2 and n >= 0.8 * total[w] and w[:1].isupper() and w.isalpha() and len(w) > 1
             and not w.isupper() and fold(w).lower() not in places}
    return orgs, words


def read_tsv(name):
    rows = []
    for line in open(os.path.join(HERE, name), encoding='utf-8'):
        line = line.rstrip('\n')
        if line and not line.startswith('#'):
            rows.append(line.split('\t'))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', '..', 'shared', 'data'))
    data = ap.parse_args().data
    countries = json.load(open(os.path.join(data, 'countries', 'countries.json'), encoding='utf-8'))
    lower, upper = word_usage(data)
    surnames = non_place_tokens(data)
    stop = {w.strip() for w in open(os.path.join(HERE, 'stop-words.txt'), encoding='utf-8')
            if w.strip() and not w.startswith('#')}

    def common_word(w):
        return lower[w.lower()] >= 3 and lower[w.lower()] >= upper[w.lower()] / 4

    # Countries: one canonical row first, then every surface form with how it names the country.
    # A form shared by several entries ("American": US and the Northern Marianas, "Dutch": NL and the
    # Caribbean Netherlands) goes to the largest, which is nearly always the one meant in the news.
    area = {c['cca2']: c.get('area') or 0 for c in countries}
    owner = {}
    for c in countries:
        dem = c.get('demonyms', {}).get('eng', {})
        forms = [c['name']['common'], c['name']['official']] + c['altSpellings'] + c.get('capital', []) + list(dem.values())
        for form in forms:
            f = fold(form.strip())
            if f not in owner or area[c['cca2']] > area[owner[f]]:
                owner[f] = c['cca2']
    rows, seen, by_label = [], set(), {}
    capitals = {}
    for c in sorted(countries, key=lambda c: c['cca2']):
        code = c['cca2']
        common = fold(c['name']['common'])
        rows.append((code, 'canonical', common))

        def add(via, surface):
            surface = fold(surface.strip())
            if not surface or not latin(surface) or (surface, code) in seen:
                return
            base = surface[:-1] if surface.endswith('s') and surface not in owner else surface
            if owner.get(base, code) != code:
                return
            # Two-letter ISO codes in altSpellings ("IN", "IT", "AM") are ordinary words in text.
            if len(surface) <= 2 and surface not in ('UK', 'US'):
                return
            # "Island" (Iceland in Icelandic), or a territory's capital "Douglas": words before names.
            if ' ' not in surface and not surface.isupper() and via != 'demonym' and surface != common and (
                    common_word(surface) or (via == 'capital' and not c.get('independent') and surface in surnames)):
                return
            seen.add((surface, code))
            rows.append((code, via, surface))

        add('name', c['name']['common'])
        add('name', c['name']['official'])
        for alt in c['altSpellings']:
            if ',' not in alt:
                add('name', alt)
        for label in [c['name']['common'], c['name']['official']] + c['altSpellings']:
            by_label[label.lower()] = code
        for cap in c.get('capital', []):
            add('capital', cap)
            capitals[fold(cap)] = code
        dem = c.get('demonyms', {}).get('eng', {})
        for form in {dem.get('m', ''), dem.get('f', '')} - {''}:
            add('demonym', form)
            # Plural demonyms name the people: Iranians, Israelis, Palestinians.
            if form.endswith(('an', 'i')):
                add('demonym', form + 's')
    for code, via, surface in read_tsv('country-aliases.tsv'):
        if (surface, code) not in seen:
            seen.add((surface, code))
            rows.append((code, via, surface))
    # The names other languages' news gives each country ("Allemagne", "Alemania", "Deutschland"), from the
    # translations countries.json carries, so an article in French or German is read too. A one-word name that is an
    # English word, a given name or a surname ("Island" for Iceland, "Maurice" for Mauritius), or another country's
    # name already, is left out; a name two countries share goes to the larger.
    # Given names common somewhere (a rare Italian "Siria" does not hide Syria in Spanish and Italian).
    given = {fold(r['Name'].strip()) for r in csv.DictReader(open(os.path.join(data, 'names', 'global_popular_names.csv'), encoding='utf-8'))
             if max((int(v) for v in json.loads(r['Origin']).values() if str(v).isdigit()), default=0) >= 3}
    given |= {line.split(',')[0] for line in open(os.path.join(data, 'names', 'ssa_maxoccurances.txt'), encoding='utf-8')
              if line.count(',') == 3 and int(line.split(',')[2]) >= 2000}
    english = {s for _, _, s in rows}
    translations = set()
    # A town's name stays the town's: "Granada" is the Spanish city in English news, not Grenada in Spanish.
    towns = {fold(r['name']) for r in csv.DictReader(open(os.path.join(data, 'world-cities', 'world-cities.csv'), encoding='utf-8'))}
    translated = {}
    for c in countries:
        for lang in TRANSLATION_LANGUAGES:
            for form in c.get('translations', {}).get(lang, {}).values():
                f = fold(form.strip())
                if f not in translated or area[c['cca2']] > area[translated[f]]:
                    translated[f] = c['cca2']
    for surface, code in sorted(translated.items(), key=lambda t: (t[1], t[0])):
        if (surface, code) in seen or surface in english or not latin(surface) or not surface[:1].isupper() or ',' in surface:
            continue
        if ' ' not in surface and '-' not in surface and (
                len(surface) < 4 or common_word(surface) or surface in surnames or surface in given or surface in stop or surface in towns):
            continue
        seen.add((surface, code))
        rows.append((code, 'name', surface))
        translations.add(surface)
    # States and provinces of the large federations name their country: "Texas", "Quebec", "New South Wales".
    regions = collections.defaultdict(set)
    for r in csv.DictReader(open(os.path.join(data, 'world-cities', 'world-cities.csv'), encoding='utf-8')):
        code = CITY_COUNTRY_FIXES.get(r['country']) or by_label[r['country'].lower()]
        if code in REGION_COUNTRIES:
            regions[fold(r['subcountry'])].add(code)
    country_surfaces = {s for _, _, s in rows}
    for name in sorted(regions):
        codes = regions[name]
        if not name or len(codes) != 1 or name in country_surfaces or name in stop or name in REGION_EXCLUDED or not latin(name) or not name[:1].isupper():
            continue
        if ' ' not in name and (common_word(name) or name in surnames):
            continue
        code = next(iter(codes))
        seen.add((name, code))
        rows.append((code, 'region', name))
    country_surfaces = {s for _, _, s in rows}
    # Words inside multi-word names ("Kong", "Jersey", "Zealand") are not cities on their own.
    # (English names only: "Porto" of the Italian "Porto Rico" is still the Portuguese city.)
    name_parts = {w for s in country_surfaces - translations if ' ' in s for w in s.split()}

    # Cities: a name can belong to several countries; the extractor settles those from the other
    # countries an article names, or from the override's default.
    cities = collections.defaultdict(set)
    for r in csv.DictReader(open(os.path.join(data, 'world-cities', 'world-cities.csv'), encoding='utf-8')):
        code = CITY_COUNTRY_FIXES.get(r['country']) or by_label[r['country'].lower()]
        name = fold(r['name'])
        if not latin(name) or len(name) < 4 or not name[0].isupper() or any(ch.isdigit() for ch in name):
            continue
        first = name.split()[0].split('-')[0]
        if name in country_surfaces or name in stop or first in stop or name in name_parts:
            continue
        if ' ' not in name and (common_word(name) or name in surnames):
            continue
        cities[name].add(code)
    defaults = {}
    for name, code, *rest in read_tsv('city-overrides.tsv'):
        if code == '-':
            cities.pop(name, None)
            continue
        cities[name].add(code)
        defaults[name] = code
    for name, codes in cities.items():
        if name not in defaults and len(codes) > 1 and name in capitals:
            defaults[name] = capitals[name]

    # First names: frequent enough to be a cue, and not mainly an English word.
    ssa = collections.Counter()
    for line in open(os.path.join(data, 'names', 'ssa_maxoccurances.txt'), encoding='utf-8'):
        parts = line.strip().split(',')
        if len(parts) == 4:
            ssa[parts[0]] = max(ssa[parts[0]], int(parts[2]))
    first = set()
    # Given names left out of first-names.txt as ordinary words ("Mark", "Will", "Ray"); see given-names-common.txt below.
    common_given = set()
    for r in csv.DictReader(open(os.path.join(data, 'names', 'global_popular_names.csv'), encoding='utf-8')):
        name = fold(r['Name'].strip())
        if len(name) < 2 or not name.isalpha() or not name[0].isupper() or not latin(name):
            continue
        # A country's name in another language can be a given name too ("Georgie", "Kenia"): next to a surname it is one.
        if name in stop or name in country_surfaces - translations:
            continue
        (common_given if common_word(name) else first).add(name)
    for name, count in ssa.items():
        if count >= 2000 and name not in stop and name not in country_surfaces - translations:
            (common_given if common_word(name) else first).add(name)

    places = {s.lower() for s in country_surfaces} | {c.lower() for c in cities}
    learned_orgs, name_words = learned_actors(data, places)
    # Ordinary words that CoNLL's results tables and tickers use as clubs and firms ("Reading", "Nice", "Seat"), and
    # that open sentences and headlines of other news as words: "Reading room reopens" is not about a football club.
    learned_orgs -= {'Best', 'Nice', 'Reading', 'Seat', 'Start'}
    # English and Welsh counties whose cricket clubs fill CoNLL's 1996 sports pages: places in today's news ("roads in
    # Kent", "flooding in Gloucestershire"), clubs in a sports article (ArticleExtractor.CountyClubs).
    learned_orgs -= COUNTY_CLUBS
    name_words -= first
    # Name words that news also writes in lower case: ordinary words wherever capitals mean nothing (a headline's or a
    # sentence's first word: "Will it have...", "Bill targeting visas", "Cruise line announces"), names elsewhere.
    common_name_words = {w for w in name_words if common_word(w)}
    # Of those, the given names ("Mark", "Will", "Ray", "Bill"): a given name where a surname follows mid-sentence, so
    # "singer Mark Morrison" is one person, not "Mark" and Scott Morrison.
    common_given_names = common_given & common_name_words

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'organizations-learned.txt'), 'w', encoding='utf-8') as f:
        f.write('# Organisation names counted in CoNLL-2003 eng.train (Reuters RCV1) by tools/gazetteer/generate.py.\n')
        for name in sorted(learned_orgs):
            f.write(name + '\n')
    with open(os.path.join(OUT, 'name-words.txt'), 'w', encoding='utf-8') as f:
        f.write("# Words nearly always part of a person's name in CoNLL-2003 eng.train, by tools/gazetteer/generate.py.\n")
        for name in sorted(name_words):
            f.write(name + '\n')
    with open(os.path.join(OUT, 'name-words-common.txt'), 'w', encoding='utf-8') as f:
        f.write("# Words of name-words.txt that news also writes in lower case (BBC and Reuters dev), by tools/gazetteer/generate.py:\n")
        f.write("# a name only where its capital means something, not as the first word of a headline or a sentence.\n")
        for name in sorted(common_name_words):
            f.write(name + '\n')
    with open(os.path.join(OUT, 'given-names-common.txt'), 'w', encoding='utf-8') as f:
        f.write("# Given names (Joerg Michael's list, GNU FDL 1.2, and SSA names) that are also ordinary words and that CoNLL-2003\n")
        f.write("# eng.train writes as parts of names, by tools/gazetteer/generate.py: a given name where a surname follows.\n")
        for name in sorted(common_given_names):
            f.write(name + '\n')
    with open(os.path.join(OUT, 'countries.tsv'), 'w', encoding='utf-8') as f:
        f.write('# Derived from mledoze/countries (ODbL-1.0) by tools/gazetteer/generate.py: code, via, surface.\n')
        for code, via, surface in rows:
            f.write(f'{code}\t{via}\t{surface}\n')
    with open(os.path.join(OUT, 'cities.tsv'), 'w', encoding='utf-8') as f:
        f.write('# Derived from GeoNames via datasets/world-cities (CC-BY-4.0) by tools/gazetteer/generate.py:\n')
        f.write('# name, country codes, default code when the article does not settle it.\n')
        for name in sorted(cities):
            f.write(f'{name}\t{",".join(sorted(cities[name]))}\t{defaults.get(name, "")}\n')
    with open(os.path.join(OUT, 'first-names.txt'), 'w', encoding='utf-8') as f:
        f.write("# Derived from Joerg Michael's name list (GNU FDL 1.2) and SSA names by tools/gazetteer/generate.py.\n")
        for name in sorted(first):
            f.write(name + '\n')
    print(f'{len(rows)} country forms, {len(cities)} cities, {len(first)} first names -> {OUT}')


if __name__ == '__main__':
    main()
