"""A linter's, formatter's or coverage report's glob of source files in the tree is a filter
(safe._source_glob), not a read of whatever secret the glob might also match."""

from __future__ import annotations

from .expect import allowed, each, held


def test_source_globs_in_the_tree() -> None:
    each(["eslint 'src/**/*.{ts,tsx}'", 'prettier --check "src/**/*.ts"',
          "prettier --write 'apps/web/src/**/*.tsx'", "coverage report --include='src/*'",
          "coverage report -m --omit='tests/*'"], allowed)
    each(["prettier --check '**/*.json'", "eslint '~/.ssh/*.js'", "eslint '../**/*.js'",
          "prettier --write '.secrets/**/*.ts'", "coverage report --include='/etc/*'",
          "prettier --check 'config/**/*.yaml'", "eslint 'src/**/*'"], held)
