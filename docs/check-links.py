#!/usr/bin/env python3
"""Checks the relative links and images of the repository's Markdown files: every target file exists and every
#anchor names a heading of its target (GitHub's slugs). Usage: python3 docs/check-links.py [file.md ...]"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINK = re.compile(r'!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')


def slug(heading):
    text = re.sub(r'[^\w\- ]', '', heading.strip().lower())
    return text.replace(' ', '-')


def anchors(path):
    found, fence = set(), False
    for line in path.read_text(encoding='utf-8').splitlines():
        if line.startswith('```'):
            fence = not fence
        elif not fence and line.startswith('#'):
            found.add(slug(line.lstrip('#')))
    return found


def links(path):
    fence = False
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if line.startswith('```'):
            fence = not fence
        elif not fence:
            for match in LINK.finditer(re.sub(r'`[^`]*`', '', line)):
                yield number, match.group(1)


def main(files):
    if not files:
        listed = subprocess.run(['git', 'ls-files', '*.md'], cwd=ROOT, capture_output=True, text=True, check=True)
        files = [ROOT / f for f in listed.stdout.split()]
    broken = 0
    for md in map(pathlib.Path, files):
        for number, target in links(md):
            if re.match(r'^[a-z]+:', target):
                continue
            file_part, _, anchor = target.partition('#')
            resolved = (md.parent / file_part).resolve() if file_part else md.resolve()
            problem = None
            if not resolved.exists():
                problem = 'no such file'
            elif anchor and resolved.suffix == '.md' and anchor not in anchors(resolved):
                problem = 'no heading #' + anchor
            if problem:
                broken += 1
                print(f'{md.relative_to(ROOT) if md.is_absolute() else md}:{number}: {target}: {problem}')
    print(f'{broken} broken link(s)')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
