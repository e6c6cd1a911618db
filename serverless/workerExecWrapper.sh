#!/bin/sh
# The worker's startup wrapper in AWS Lambda (AWS_LAMBDA_EXEC_WRAPPER, set on every
# worker function by lib/deploy/serviceDefinition.ts). Lambda runs it with the Node.js
# runtime's own command line: the interpreter, then its flags, then the runtime's
# entry file. That command line sizes V8's young generation from the function's
# memory (a 1024 MB function gets --max-semi-space-size=51, which V8 rounds up to 64),
# and V8 grows it to that size within a second of sustained work: about 80 MB of
# resident memory that a streaming query or export never needs. This wrapper drops
# the runtime's value and holds it at 32 MB, at no measured cost in speed
# (bench/export.ts prints the peak RSS both ways; docs/export.md says more).
#
# POSIX sh: the runtime image is not promised to have bash. A command line that does
# not start with node (a runtime that starts some other way) runs as it came, with a
# line on stderr: a wrapper must never keep a worker from starting.
interpreter=$1
case ${interpreter##*/} in
  node | node[0-9]*) ;;
  *)
    echo "sql-jobber worker wrapper: the runtime's command starts with '$interpreter', not node: started as it came, V8's young generation left as the runtime sized it" >&2
    exec "$@"
    ;;
esac
shift
skip=0
for arg do
  shift
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case $arg in
    --max-semi-space-size=* | --max_semi_space_size=*) continue ;;
    --max-semi-space-size | --max_semi_space_size) skip=1; continue ;;
  esac
  set -- "$@" "$arg"
done
exec "$interpreter" --max-semi-space-size=32 "$@"
