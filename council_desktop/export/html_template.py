"""The standalone HTML page's jinja2 template: inline CSS only, no scripts, no external resources."""

from __future__ import annotations

# Rendered with autoescape on: every {{ }} is HTML-escaped. Nothing here marks text safe. Model text sits
# on one line between its tags because white-space: pre-wrap would show template indentation.
# The Content-Security-Policy forbids scripts and every fetch even if escaping ever failed.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

CSS = """
:root { color-scheme: dark; }
* { box-sizing: border-box; }
html { background: #1a1b26; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #1a1b26; color: #c0caf5; font: 15px/1.6 system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
.page { max-width: 1040px; margin: 0 auto; padding: 40px 28px 56px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
.muted { color: #737aa2; }
.mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }

.eyebrow { color: #e0af68; font-size: 12px; font-weight: 700; letter-spacing: .14em; text-transform: uppercase; }
.hero h1 { font-size: 30px; margin: 6px 0 18px; color: #c0caf5; }
.topic { border-left: 4px solid #e0af68; background: #1f2335; border-radius: 0 10px 10px 0;
  padding: 14px 18px; font-size: 18px; color: #c0caf5; }
.topic .label { display: block; font-size: 11px; letter-spacing: .12em; text-transform: uppercase;
  color: #e0af68; font-weight: 700; margin-bottom: 4px; }
.meta { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 0; padding: 0; }
.meta div { flex: 1 1 auto; background: #1f2335; border: 1px solid #292e42; border-radius: 10px;
  padding: 8px 14px; }
.meta dt { font-size: 11px; letter-spacing: .1em; text-transform: uppercase; color: #737aa2; }
.meta dd { margin: 2px 0 0; font-weight: 600; white-space: nowrap; }
.meta dd.warn { color: #f7768e; }
.failures { list-style: none; margin: 10px 0 0; padding: 10px 14px; border-radius: 10px;
  background: rgba(247, 118, 142, .08); border: 1px solid rgba(247, 118, 142, .35); font-size: 14px; }
.failures li + li { margin-top: 4px; }
.failures .why { color: #a9b1d6; }

.pill { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12px; font-weight: 700;
  border: 1px solid transparent; white-space: nowrap; }
.tone-good { color: #9ece6a; background: rgba(158, 206, 106, .14); border-color: rgba(158, 206, 106, .5); }
.tone-mid { color: #e0af68; background: rgba(224, 175, 104, .14); border-color: rgba(224, 175, 104, .5); }
.tone-bad { color: #f7768e; background: rgba(247, 118, 142, .14); border-color: rgba(247, 118, 142, .5); }
.tone-none { color: #a9b1d6; background: rgba(86, 95, 137, .25); border-color: rgba(86, 95, 137, .7); }
.badge { display: inline-block; min-width: 2.6em; text-align: center; border-radius: 999px; padding: 1px 8px;
  font-weight: 800; font-size: 13px; border: 1px solid transparent; font-variant-numeric: tabular-nums; }

.banner { margin: 0 0 16px; padding: 12px 16px; border-radius: 10px; font-weight: 600;
  border: 1px solid rgba(224, 175, 104, .6); background: rgba(224, 175, 104, .12); color: #e0af68; }
.banner.failed { border-color: rgba(247, 118, 142, .6); background: rgba(247, 118, 142, .12); color: #f7768e; }

section { margin-top: 40px; }
h2 { font-size: 21px; display: flex; align-items: center; gap: 12px; padding-bottom: 10px;
  border-bottom: 1px solid #292e42; margin-bottom: 16px; }
h2 .num { font-size: 12px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: #1a1b26;
  background: #7aa2f7; border-radius: 6px; padding: 2px 8px; }
h3 { font-size: 13px; letter-spacing: .1em; text-transform: uppercase; color: #737aa2; margin: 22px 0 10px; }
.note { color: #a9b1d6; font-style: italic; margin: 0 0 12px; }
.toc { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 22px; }
.toc a { color: #7aa2f7; text-decoration: none; background: #1f2335; border: 1px solid #292e42;
  border-radius: 999px; padding: 3px 12px; font-size: 13px; }

.roster { display: grid; grid-template-columns: repeat(auto-fill, minmax(185px, 1fr)); gap: 12px; }
.member { background: #1f2335; border: 1px solid #292e42; border-top: 3px solid var(--c); border-radius: 10px;
  padding: 12px 14px; }
.member.failed { opacity: .72; border-top-color: #f7768e; background: #211f2e; }
.member .name { font-weight: 700; font-size: 16px; display: flex; align-items: center; gap: 8px; }
.member .model { font-size: 12px; color: #737aa2; overflow-wrap: anywhere; margin: 4px 0 6px; }
.member .tags { display: flex; flex-wrap: wrap; gap: 4px; }
.member details { margin-top: 8px; font-size: 13px; color: #a9b1d6; }
.member summary { cursor: pointer; color: #737aa2; }
.avatar { display: inline-flex; align-items: center; justify-content: center; width: 26px; height: 26px;
  border-radius: 50%; background: var(--c); color: #1a1b26; font-weight: 800; font-size: 13px; flex: none; }
.tag { font-size: 11px; font-weight: 700; letter-spacing: .04em; border-radius: 6px; padding: 1px 7px;
  background: #292e42; color: #a9b1d6; }
.tag.gold { background: rgba(224, 175, 104, .16); color: #e0af68; }
.tag.red { background: rgba(247, 118, 142, .16); color: #f7768e; }

.turn { background: #1f2335; border: 1px solid #292e42; border-left: 4px solid var(--c); border-radius: 10px;
  padding: 12px 16px 14px; margin: 0 0 12px; }
.turn header { display: flex; align-items: center; gap: 10px; margin-bottom: 6px; flex-wrap: wrap; }
.turn .who { font-weight: 700; color: var(--c); }
.turn .stats { margin-left: auto; font-size: 12px; color: #737aa2; font-variant-numeric: tabular-nums; }
.turn.small { padding: 8px 12px; font-size: 13px; }

table { width: 100%; border-collapse: separate; border-spacing: 0; background: #1f2335;
  border: 1px solid #292e42; border-radius: 10px; overflow: hidden; margin: 0 0 12px; }
th { text-align: left; font-size: 11px; letter-spacing: .08em; text-transform: uppercase; color: #737aa2;
  font-weight: 700; background: #24283b; }
th, td { padding: 9px 12px; border-bottom: 1px solid #292e42; vertical-align: middle; }
tr:last-child td { border-bottom: 0; }
td.center, th.center { text-align: center; }
td .label { display: block; font-size: 11px; color: #737aa2; margin-top: 2px; }
tr.invalid td { background: rgba(86, 95, 137, .12); }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: var(--c);
  margin-right: 7px; vertical-align: 1px; }
.bar { display: inline-block; width: 150px; height: 8px; border-radius: 4px; background: #292e42;
  vertical-align: middle; margin-right: 10px; overflow: hidden; }
.bar span { display: block; height: 100%; border-radius: 4px; }
.bar .tone-good { background: #9ece6a; } .bar .tone-mid { background: #e0af68; }
.bar .tone-bad { background: #f7768e; } .bar .tone-none { background: #565f89; }
.bar .tone-rank { background: #7aa2f7; } .bar.short { width: 90px; }
.num-cell { font-variant-numeric: tabular-nums; }

details.ballots { margin: 6px 0 12px; }
details.ballots > summary { cursor: pointer; color: #7aa2f7; font-size: 13px; margin-bottom: 10px; }

.synthesis { position: relative; border: 2px solid #e0af68; border-radius: 14px; padding: 20px 24px 22px;
  margin: 4px 0 12px; background: linear-gradient(180deg, rgba(224, 175, 104, .10), rgba(224, 175, 104, .03));
  box-shadow: 0 0 0 4px rgba(224, 175, 104, .08), 0 10px 30px rgba(0, 0, 0, .35); }
.synthesis .eyebrow { display: flex; align-items: center; gap: 10px; }
.synthesis .by { color: #c0caf5; letter-spacing: 0; text-transform: none; font-weight: 600; font-size: 14px; }
.synthesis .by .stats { color: #737aa2; font-weight: 400; }
.synthesis .text { font-size: 16.5px; line-height: 1.7; margin-top: 10px; color: #c0caf5; }

.awards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; }
.award { display: flex; gap: 12px; background: #1f2335; border: 1px solid rgba(224, 175, 104, .35);
  border-radius: 12px; padding: 12px 14px; }
.award .star { flex: none; width: 36px; height: 36px; border-radius: 50%; display: flex; align-items: center;
  justify-content: center; background: rgba(224, 175, 104, .16); color: #e0af68; font-size: 19px; }
.award .badge-name { color: #e0af68; font-weight: 800; }
.award .whom { font-weight: 600; font-size: 13px; }
.award .why { color: #a9b1d6; font-size: 13px; margin-top: 2px; }

.stopped { margin-top: 28px; text-align: center; color: #e0af68; font-size: 13px; font-weight: 700;
  letter-spacing: .12em; text-transform: uppercase; border-top: 1px dashed rgba(224, 175, 104, .5);
  padding-top: 12px; }
footer { margin-top: 48px; padding-top: 14px; border-top: 1px solid #292e42; color: #565f89; font-size: 12px; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="Council Desktop">
<title>{{ view.title }} · {{ short_topic }}</title>
<style>{{ css }}</style>
</head>
<body>
{% macro avatar(m) %}<span class="avatar" style="--c: {{ m.color }}">{{ m.name[:1] | upper }}</span>{% endmacro %}
{% macro name(m) %}<span class="dot" style="--c: {{ m.color }}"></span>{{ m.name }}\
{% if m.failed %} <span class="tag red">failed</span>{% endif %}{% endmacro %}
{% macro badge(score) %}<span class="badge tone-{{ score.tone }}">{{ score.text }}</span>{% endmacro %}
{% macro turn_card(turn, small=False) %}
<article class="turn{{ ' small' if small }}" style="--c: {{ turn.color }}">
<header><span class="who">{{ turn.member }}</span>\
{% if turn.failed %}<span class="tag red">failed</span>{% endif %}\
{% if turn.kind %}<span class="tag">{{ turn.kind }}</span>{% endif %}\
{% if turn.stats %}<span class="stats">{{ turn.stats }}</span>{% endif %}</header>
<div class="text">{{ turn.text }}</div>
</article>
{% endmacro %}
{% macro final_card(turn) %}
<div class="synthesis">
<div class="eyebrow">{{ 'Synthesis' if view.mode == 'debate' else "Chairman's answer" }}\
<span class="by">by {{ turn.member }}\
{% if turn.stats %} <span class="stats">· {{ turn.stats }}</span>{% endif %}</span></div>
<div class="text">{{ turn.text }}</div>
</div>
{% endmacro %}
{% macro block(kind) %}
{% if kind == 'reviews' %}
<h3>Peer review scores</h3>
<table>
<thead><tr><th>Reviewer ↓ / Target →</th>\
{% for m in view.review_targets %}<th class="center">{{ name(m) }}</th>{% endfor %}<th>Ballot</th></tr></thead>
<tbody>
{% for row in view.review_rows %}
<tr class="{{ '' if row.valid else 'invalid' }}"><td>{{ name(row.reviewer) }}</td>\
{% for cell in row.cells %}<td class="center">{% if cell %}{{ badge(cell.score) }}\
{% if cell.label %}<span class="label">{{ cell.label }}</span>{% endif %}\
{% else %}<span class="muted">—</span>{% endif %}</td>{% endfor %}\
<td>{% if row.valid %}<span class="pill tone-good">valid</span>{% else %}<span class="pill tone-none">invalid</span>\
{% if row.reason %}<span class="label">{{ row.reason }}</span>{% endif %}{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% elif kind == 'rankings' %}
<h3>Rankings, best first</h3>
<table>
<thead><tr><th>Reviewer</th><th>Ranking</th><th>Ballot</th></tr></thead>
<tbody>
{% for r in view.rankings %}
<tr class="{{ '' if r.valid else 'invalid' }}"><td>{{ r.reviewer }}</td><td>\
{% for who in r.order %}<span class="tag">{{ loop.index }}</span> {{ who }}{{ ' ' if not loop.last }}&ensp;{% endfor %}\
{% if not r.order %}<span class="muted">—</span>{% endif %}</td>\
<td>{% if r.valid %}<span class="pill tone-good">valid</span>{% else %}<span class="pill tone-none">invalid</span>\
{% if r.reason %}<span class="label">{{ r.reason }}</span>{% endif %}{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% elif kind == 'aggregate' %}
<h3>Aggregate</h3>
<table>
<thead><tr><th>#</th><th>Member</th>\
{% if view.show_mean %}<th>Mean score</th>{% endif %}{% if view.show_average_rank %}<th>Average rank</th>{% endif %}\
{% if view.show_borda %}<th>Borda</th>{% endif %}{% if view.rebuttals %}<th></th>{% endif %}</tr></thead>
<tbody>
{% for row in view.aggregate %}
<tr><td class="num-cell muted">{{ row.position }}</td><td>{{ name(row.member) }}</td>\
{% if view.show_mean %}<td><span class="bar"><span class="tone-{{ row.mean.tone }}" \
style="width: {{ row.bar_percent }}%"></span></span>{{ badge(row.mean) }}</td>{% endif %}\
{% if view.show_average_rank %}<td class="num-cell">{{ row.average_rank }}</td>{% endif %}\
{% if view.show_borda %}<td class="num-cell"><span class="bar short"><span class="tone-rank" \
style="width: {{ row.borda_percent }}%"></span></span>{{ row.borda }}</td>{% endif %}\
{% if view.rebuttals %}<td>{% if row.rebutted %}<span class="tag red">rebuttal</span>{% endif %}</td>{% endif %}</tr>
{% endfor %}
</tbody>
</table>
{% elif kind == 'rebuttals' %}
<p class="note">Called to rebut: {{ view.rebuttals | map(attribute='name') | join(' and ') }}</p>
{% elif kind == 'alliances' %}
<h3>Alliances</h3>
<table>
<thead><tr><th>From ↓ / To →</th>\
{% for m in view.alliance_members %}<th class="center">{{ name(m) }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in view.alliance_rows %}
<tr><td>{{ name(row.member) }}</td>{% for stance in row.cells %}<td class="center">\
{% if loop.index0 == row.self_index %}<span class="muted">—</span>\
{% elif stance == 'agree' %}<span class="pill tone-good">agree</span>\
{% elif stance == 'disagree' %}<span class="pill tone-bad">disagree</span>\
{% elif stance %}<span class="pill tone-none">{{ stance }}</span>\
{% else %}<span class="muted">·</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% endmacro %}
<main class="page">
<header class="hero">
<div class="eyebrow">Council Desktop · {{ view.mode }} transcript</div>
<h1>{{ view.title }}</h1>
{% if view.banner %}
<div class="banner{{ ' failed' if view.status == 'failed' }}" role="alert">⚠ {{ view.banner }}</div>
{% endif %}
<div class="topic"><span class="label">{{ view.topic_label }}</span>\
<span class="text">{{ view.topic or '—' }}</span></div>
<dl class="meta">
<div><dt>Date</dt><dd>{{ view.started or '—' }}</dd></div>
{% if view.duration %}<div><dt>Duration</dt><dd>{{ view.duration }}</dd></div>{% endif %}
<div><dt>Status</dt><dd><span class="pill tone-{{ status_tone }}">{{ view.status_label }}</span></dd></div>
{% if view.proposer %}<div><dt>Proposer</dt><dd>{{ name(view.proposer) }}</dd></div>{% endif %}
{% if view.parent %}<div><dt>Forked from</dt><dd>{{ view.parent }}</dd></div>{% endif %}
<div><dt>Chairman</dt><dd>{% if view.chairman %}{{ name(view.chairman) }}{% else %}—{% endif %}</dd></div>
<div><dt>Members</dt><dd class="{{ 'warn' if view.failed }}">{{ view.members_line }}</dd></div>
</dl>
{% if view.note %}<p class="note">{{ view.note }}</p>{% endif %}
{% if view.viewer %}<ul class="viewer">{% for line in view.viewer %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% if view.failed %}
<ul class="failures">
{% for m in view.failed %}<li><span class="tag red">failed</span> <strong>{{ m.name }}</strong>\
{% if m.reason %} <span class="why">— {{ m.reason }}</span>{% endif %}</li>
{% endfor %}
</ul>
{% endif %}
{% if view.stages %}
<nav class="toc">\
{% for stage in view.stages %}<a href="#stage-{{ loop.index }}">{{ stage.index }} · {{ stage.title }}</a>{% endfor %}\
{% if view.achievements %}<a href="#achievements">Achievements</a>{% endif %}</nav>
{% endif %}
</header>

<section>
<h2>Members</h2>
<div class="roster">
{% for m in view.members %}
<div class="member{{ ' failed' if m.failed }}" style="--c: {{ m.color }}">
<div class="name">{{ avatar(m) }}{{ m.name }}</div>
<div class="model mono">{{ m.model or '—' }}</div>
<div class="tags">{% for role in m.roles %}<span class="tag gold">{{ role }}</span>{% endfor %}\
{% if m.failed %}<span class="tag red">failed</span>{% else %}<span class="tag">ok</span>{% endif %}</div>
{% if m.persona %}<details><summary>Persona</summary><div class="text">{{ m.persona }}</div></details>{% endif %}
</div>
{% endfor %}
</div>
</section>

{% for stage in view.stages %}
<section id="stage-{{ loop.index }}">
<h2><span class="num">Stage {{ stage.index }}</span>{{ stage.title }}</h2>
{% for note in stage.notes %}<p class="note">{{ note }}</p>
{% endfor %}
{% for turn in stage.turns %}{{ turn_card(turn) }}{% endfor %}
{% for kind in stage.blocks %}{{ block(kind) }}{% endfor %}
{% if stage.ballots %}
<details class="ballots"><summary>Ballots as written ({{ stage.ballots | length }})</summary>
{% for turn in stage.ballots %}{{ turn_card(turn, small=True) }}{% endfor %}
</details>
{% endif %}
{% for turn in stage.final %}{{ final_card(turn) }}{% endfor %}
{% if not (stage.notes or stage.turns or stage.blocks or stage.ballots or stage.final) %}
<p class="note">Nothing was recorded in this stage.</p>
{% endif %}
</section>
{% endfor %}

{% if view.banner %}
<div class="stopped">The record ends here.</div>
{% endif %}

{% if view.orphan_blocks or view.orphan_final %}
<section>
<h2>Results</h2>
{% for kind in view.orphan_blocks %}{{ block(kind) }}{% endfor %}
{% for turn in view.orphan_final %}{{ final_card(turn) }}{% endfor %}
</section>
{% endif %}

{% if view.achievements %}
<section id="achievements">
<h2>Achievements</h2>
<div class="awards">
{% for a in view.achievements %}
<div class="award"><div class="star">★</div><div><div class="badge-name">{{ a.badge }}</div>\
<div class="whom">{{ name(a.member) }}</div>\
{% if a.reason %}<div class="why">{{ a.reason }}</div>{% endif %}</div></div>
{% endfor %}
</div>
</section>
{% endif %}

<footer>Exported by Council Desktop · council-transcript/1 · \
session <span class="mono">{{ view.session_id }}</span></footer>
</main>
</body>
</html>
"""
