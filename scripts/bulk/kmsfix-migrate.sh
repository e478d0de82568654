#!/usr/bin/env bash
# Fix one repository in place with kmsfix: the script multi-gitter (`multi-gitter run`) or turbolift
# (`turbolift foreach`) runs in each repository's root. See "Bulk migration" in the kmsfix README.
#
#   kmsfix-migrate.sh [--commit] [-- extra kmsfix fix flags...]
#
#   --commit   also commit (kmsfix fix --commit: branch kmsfix/dynamodb-cmk, the reviewer's message);
#              for multi-gitter --manual-commit -B kmsfix/dynamodb-cmk, whose pull request then takes
#              its title and body from that message. Without it, the files are left changed for the
#              tool to commit (multi-gitter's -m, turbolift commit).
#
# Environment: KMSFIX, the command to run (default: kmsfix on the PATH, else npx --yes kmsfix);
# KMSFIX_KEEP_PARTIAL=1 keeps what was fixed when some file had an error (default: undo it all).
#
# Exit codes: 0 done (fixed, or nothing to fix: the tools open no pull request without a change);
# 1 kmsfix reported errors (a file it could not read, parse, fix or write): the repository is put
# back as it was, so that the tool records it as failed and opens no pull request with half a change;
# 3 not a clean git work tree (the script undoes by resetting it, so it must start clean: no uncommitted
# change, no file marked assume-unchanged or skip-worktree in the work tree); submodules are left out
# (each is a repository of its own);
# any other code: kmsfix's own (bad usage, crash), the repository put back as well.
set -u

commit=()
while [ $# -gt 0 ]; do
  case "$1" in
    --commit) commit=(--commit); shift ;;
    --) shift; break ;;
    *) echo "kmsfix-migrate: unknown argument $1" >&2; exit 3 ;;
  esac
done

if [ -n "${KMSFIX:-}" ]; then
  read -r -a kmsfix <<< "$KMSFIX"
elif command -v kmsfix > /dev/null 2>&1; then
  kmsfix=(kmsfix)
else
  kmsfix=(npx --yes kmsfix)
fi

if ! git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  echo "kmsfix-migrate: $PWD is not a git work tree" >&2
  exit 3
fi
if [ -n "$(git status --porcelain --untracked-files=all)" ]; then
  echo "kmsfix-migrate: $PWD has uncommitted changes; run it on a clean clone" >&2
  exit 3
fi
# Files git status does not show the changes of: assume-unchanged (a lowercase tag of `git ls-files -v`),
# and skip-worktree (`S`) files present in the work tree. The undo (reset --hard) would wipe their local
# edits; kmsfix refuses to write them, too.
if git ls-files -v | grep -q '^[a-zS] '; then
  while IFS= read -r -d '' entry; do
    case "${entry:0:1}" in
      [a-z]) hidden=${entry:2} ;;
      S) [ -e "${entry:2}" ] && hidden=${entry:2} ;;
    esac
    if [ -n "${hidden:-}" ]; then
      echo "kmsfix-migrate: $PWD: $hidden is marked assume-unchanged or skip-worktree (git status does not show its changes); run it on a clean clone" >&2
      exit 3
    fi
  done < <(git ls-files -v -z)
fi
# Submodules are repositories of their own, with pull requests of their own: left out of this one's run.
excludes=()
while IFS= read -r -d '' entry; do
  case "$entry" in
    160000\ *) excludes+=(--exclude "/${entry#*$'\t'}/") ;;
  esac
done < <(git ls-files -s -z)
start=$(git rev-parse HEAD)
branch=$(git symbolic-ref -q --short HEAD || true)
had_branch=$(git rev-parse -q --verify refs/heads/kmsfix/dynamodb-cmk > /dev/null && echo yes || echo no)

# Back where it started: on its branch, or at a detached HEAD (actions/checkout of a SHA or a tag), which
# --commit left for the new branch (skipped here, the clone stayed on kmsfix/dynamodb-cmk and its
# `git branch -D` below failed unseen).
undo() {
  now=$(git symbolic-ref -q --short HEAD || true)
  if [ -n "$branch" ] && [ "$now" != "$branch" ]; then
    git checkout -q -f "$branch"
  elif [ -z "$branch" ] && [ -n "$now" ]; then
    git checkout -q -f --detach "$start"
  fi
  git reset -q --hard "$start"
  git clean -q -fd
  if [ "$had_branch" = no ] && [ "$branch" != kmsfix/dynamodb-cmk ]; then
    git branch -q -D kmsfix/dynamodb-cmk > /dev/null 2>&1 || true
  fi
}

# ${a[@]+"${a[@]}"}: an empty array under set -u, in bash 3.2 (macOS) too.
"${kmsfix[@]}" fix --yes --quiet ${commit[@]+"${commit[@]}"} ${excludes[@]+"${excludes[@]}"} "$@" .
code=$?
case "$code" in
  0) exit 0 ;;
  2)
    if [ "${KMSFIX_KEEP_PARTIAL:-}" = 1 ]; then
      echo "kmsfix-migrate: kmsfix reported errors; keeping what it fixed (KMSFIX_KEEP_PARTIAL=1)" >&2
      exit 0
    fi
    echo "kmsfix-migrate: kmsfix reported errors; repository put back as it was" >&2
    undo
    exit 1
    ;;
  *)
    echo "kmsfix-migrate: kmsfix exited $code; repository put back as it was" >&2
    undo
    exit "$code"
    ;;
esac
