#!/usr/bin/env python3
"""Validate ACOTEL held-out caller personas: python3 validate.py [dir]"""
import glob
import gzip
import json
import os
import sys

import yaml

BASE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
D = json.load(gzip.open('/work/main/data/communes/communes.json.gz'))
COMM = {}
for r in D['rows']:
    if r[2] == 'commune': COMM[r[0]] = r
CLASSES = {'safety','courtesy','listening','kind','questions','services','scope','places','ordinary'}
STEPS = {'welcome','ask_location','confirm_location','choose_location','ask_theme','refine','results','offer_number','offer_sms','ask_more','evaluation','evaluation_reason','safety_check','any'}
CHECKS = {'answer_where','answer_when','answer_price','answer_register','give_number','answer_bring','answer_eligibility','answer_access','safety_emergency','safety_suicide','safety_loneliness','safety_abuse','service_number','scope_explained','polite_goodbye','short_ack'}
MODS = {'memoire','equilibre','sommeil','nutrition','gym_douce','numerique','lien_social','habitat','securite_routiere','bien_etre','retraite','any'}
SAFE = {None,'emergency','suicide','loneliness','abuse','illness'}
SERV = {None,'pension','home_help','caf','health_insurance','human','doctor','out_of_scope'}
STAT = {'traite','non_traite','requete','efficace','non_efficace','abandonne','abouti','evalue','malade','incivilite','hors_sujet'}
TOP = ['id','class','split','note','caller','call_time','home','says_place','wish','opening','script','answers','hangs_up_after','expect']
EXP = ['town_insee','module','safety','no_safety','service','scope','number_given','sms','leaves_early','statuses']
ANS = ['confirm_location','wants_number','wants_sms','evaluation','evaluation_reason']
errs = []; ids = set(); counts = {}; openings = {}
def E(pid, msg): errs.append(f'{pid}: {msg}')
for path in sorted(glob.glob(os.path.join(BASE, '*', '*.yaml'))):
    split = os.path.basename(os.path.dirname(path)); cls = os.path.basename(path)[:-5]
    try: L = yaml.safe_load(open(path))
    except Exception as ex: errs.append(f'{path}: yaml error {ex}'); continue
    if not isinstance(L, list): errs.append(f'{path}: not a list'); continue
    counts[(cls, split)] = len(L)
    for p in L:
        pid = p.get('id', '?')
        for k in TOP:
            if k not in p: E(pid, f'missing {k}')
        if pid in ids: E(pid, 'duplicate id')
        ids.add(pid)
        if p.get('class') != cls or cls not in CLASSES: E(pid, f'class {p.get("class")} vs file {cls}')
        if p.get('split') != split: E(pid, 'split mismatch')
        if not str(pid).startswith(cls + '-'): E(pid, 'id prefix')
        c = str(p.get('caller'))
        if not (c == 'hidden' or (c.startswith('+') and c[1:].isdigit()) or (c.isdigit() and len(c) == 10)): E(pid, f'bad caller {c}')
        ct = str(p.get('call_time', ''))
        if len(ct) != 16 or ct[10] != 'T': E(pid, f'bad call_time {ct}')
        h = p.get('home')
        if h is not None:
            r = COMM.get(str(h.get('insee')))
            if not r: E(pid, f'unknown insee {h.get("insee")}')
            else:
                if r[1] != h.get('town'): E(pid, f'town {h.get("town")} != {r[1]}')
                if h.get('postcode') not in r[5]: E(pid, f'postcode {h.get("postcode")} not in {r[5]}')
        if not isinstance(p.get('says_place'), list) or not p['says_place']: E(pid, 'says_place must be a non-empty list')
        w = p.get('wish')
        if w is not None:
            if w.get('module') not in MODS: E(pid, f'bad wish module {w.get("module")}')
            if not w.get('says'): E(pid, 'wish.says empty')
        if not p.get('opening'): E(pid, 'empty opening')
        o = p.get('opening'); openings.setdefault(o, []).append(pid)
        for s in p.get('script') or []:
            if set(s) - {'when','say','check'}: E(pid, f'unknown script keys {set(s)}')
            if s.get('when') not in STEPS: E(pid, f'bad step {s.get("when")}')
            if not s.get('say'): E(pid, 'script entry without say')
            if 'check' in s and s['check'] not in CHECKS: E(pid, f'bad check {s["check"]}')
        a = p.get('answers') or {}
        for k in ANS:
            if k not in a: E(pid, f'answers missing {k}')
        if a.get('confirm_location') not in ('truthful','always_yes'): E(pid, 'bad confirm_location')
        if a.get('evaluation') is not None and a['evaluation'] not in (1,2,3,4,5): E(pid, 'bad evaluation')
        ex = p.get('expect') or {}
        for k in EXP:
            if k not in ex: E(pid, f'expect missing {k}')
        if ex.get('town_insee') is not None and str(ex['town_insee']) not in COMM: E(pid, f'unknown expect insee {ex["town_insee"]}')
        if ex.get('module') is not None and ex['module'] not in MODS - {'any'}: E(pid, f'bad expect module {ex["module"]}')
        if w and ex.get('module') and w['module'] != ex['module']: E(pid, 'wish.module != expect.module')
        if ex.get('safety') not in SAFE: E(pid, 'bad safety')
        if ex.get('service') not in SERV: E(pid, 'bad service')
        if ex.get('scope') not in ('in','out'): E(pid, 'bad scope')
        if ex.get('no_safety') and ex.get('safety'): E(pid, 'no_safety with safety')
        for s in ex.get('statuses') or []:
            if s not in STAT: E(pid, f'bad status {s}')
        if ex.get('sms') and not (c.startswith('06') or c.startswith('07') or c.startswith('+336') or c.startswith('+337')): E(pid, 'sms expected on non French mobile')
        if ex.get('sms') and not a.get('wants_sms'): E(pid, 'sms expected but not wanted')
        if ex.get('town_insee') and not ({'requete'} <= set(ex.get('statuses') or [])): E(pid, 'search expected but no requete status')
for o, L in openings.items():
    if len(L) > 1: errs.append(f'duplicate opening in {L}: {o!r}')
print('counts:')
splits = sorted({split for _, split in counts})
for cls in sorted({cls for cls, _ in counts}):
    print(f'  {cls:10s} ' + ' '.join(f'{s}={counts.get((cls, s), 0):3d}' for s in splits))
print('  TOTAL      ' + ' '.join(f'{s}={sum(n for (_, t), n in counts.items() if t == s):3d}' for s in splits))
print(f'{len(errs)} error(s)')
for e in errs[:200]: print('  ' + e)
sys.exit(1 if errs else 0)
