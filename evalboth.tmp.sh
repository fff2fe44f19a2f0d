#!/bin/bash
a=$(npm run -s eval -- --json tests/fixtures/questions.jsonl 2>/dev/null)
b=$(npm run -s eval -- --json --corpus tests/fixtures/heldout/corpus --index /tmp/heldout-index tests/fixtures/heldout/questions.jsonl 2>/dev/null)
echo "$1 dev $a"; echo "$1 held $b"
