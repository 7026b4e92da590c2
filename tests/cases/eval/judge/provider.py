"""A stand-in model for the llm judge's golden cases: reads the prompt on stdin and
answers as argv says: `echo` repeats the prompt first (a model that quotes its input),
then every other argument is printed as one line of the answer."""

import sys

prompt = sys.stdin.read()
args = sys.argv[1:]
if args[:1] == ["echo"]:
    sys.stdout.write(prompt)
    args = args[1:]
for line in args:
    print(line)
